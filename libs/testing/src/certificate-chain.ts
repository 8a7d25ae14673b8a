import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IssuedCertificate {
  /** PEM: the leaf, then the intermediate (what a server sends). */
  chain: string;
  /** PEM private key of the leaf. */
  key: string;
}

/**
 * A real three-level PKI made with openssl at test time: a root CA (the only thing clients trust), an
 * intermediate CA, and server certificates for localhost / 127.0.0.1 issued by the intermediate.
 */
export class CertificateChain {
  private readonly dir = mkdtempSync(join(tmpdir(), 'cxauth-pki-'));
  private issued = 0;
  /** PEM of the root CA. */
  readonly rootCa: string;

  constructor() {
    const file = (name: string) => join(this.dir, name);
    this.openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('root.key'));
    this.openssl(
      ...['req', '-x509', '-new', '-key', file('root.key'), '-days', '2', '-subj', '/CN=cxauth test root CA'],
      ...['-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      ...['-out', file('root.crt')],
    );
    this.openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('intermediate.key'));
    this.openssl('req', '-new', '-key', file('intermediate.key'), '-subj', '/CN=cxauth test intermediate CA');
    writeFileSync(
      file('intermediate.ext'),
      'basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n',
    );
    this.sign('intermediate', 'root', file('intermediate.ext'));
    this.rootCa = readFileSync(file('root.crt'), 'utf8');
  }

  /** A new server certificate (fresh key) for localhost and 127.0.0.1. */
  issue(commonName = 'localhost'): IssuedCertificate {
    const name = `leaf${++this.issued}`;
    const file = (suffix: string) => join(this.dir, `${name}.${suffix}`);
    this.openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('key'));
    this.openssl('req', '-new', '-key', file('key'), '-subj', `/CN=${commonName}`);
    writeFileSync(
      file('ext'),
      'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
    );
    this.sign(name, 'intermediate', file('ext'));
    return {
      chain: readFileSync(file('crt'), 'utf8') + readFileSync(join(this.dir, 'intermediate.crt'), 'utf8'),
      key: readFileSync(file('key'), 'utf8'),
    };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Signs <name>.csr (made by the last `req -new`) with <issuer>'s key. */
  private sign(name: string, issuer: string, extensions: string): void {
    const file = (base: string, suffix: string) => join(this.dir, `${base}.${suffix}`);
    this.openssl(
      ...['x509', '-req', '-in', join(this.dir, 'last.csr'), '-CA', file(issuer, 'crt'), '-CAkey', file(issuer, 'key')],
      ...['-CAcreateserial', '-days', '1', '-extfile', extensions, '-out', file(name, 'crt')],
    );
  }

  private openssl(...args: string[]): void {
    // `req -new` without -out writes the request where the next `sign` reads it.
    const out =
      args[0] === 'req' && args.includes('-new') && !args.includes('-x509') ? ['-out', join(this.dir, 'last.csr')] : [];
    execFileSync('openssl', [...args, ...out], { stdio: 'pipe' });
  }
}
