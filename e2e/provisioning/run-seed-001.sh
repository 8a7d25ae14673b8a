#!/bin/sh
# Runs the seed 001 provisioning commands (real curl, verbatim apart from the substitutions listed in
# e2e/provisioning/seed-001.ts) against a stack that is already running, then checks the results.
#
#   LOCATION=/USW1 npm start            # in another terminal: a fresh local stack
#   e2e/provisioning/run-seed-001.sh http://localhost:8080
#
# The stack must be fresh (the document's client_id `external_api_client` is created once) and its
# environment-api must run with LOCATION=/USW1 (the read-only-region check flips the /usw1 record).
# Ops credentials: PROVISIONING_OPS_USER / PROVISIONING_OPS_PASSWORD (default ops / ops).
set -eu
cd "$(dirname "$0")/../.."
PROVISIONING_BASE_URL="${1:-http://localhost:8080}" exec npx jest --runInBand e2e/provisioning/__tests__/provisioning.e2e-spec.ts
