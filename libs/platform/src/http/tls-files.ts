import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** Reads the PEM pair and checks that the key belongs to the certificate (throws otherwise). */
export function readTlsMaterial(files: TlsFiles): TlsMaterial {
  const material = { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  createSecureContext(material);
  return material;
}

/** The subset of https.Server / tls.Server a reload needs. */
export interface SecureContextTarget {
  setSecureContext(options: TlsMaterial): void;
}

function fingerprint(material: TlsMaterial): string {
  return createHash('sha256').update(material.cert).update(material.key).digest('hex');
}

/**
 * Watches the certificate and key files (a Kubernetes Secret volume or a cert-manager renewal swaps
 * them in place) and gives every listener the new pair without a restart: connections opened after the
 * change get the new certificate, open ones keep theirs. A half-written or mismatched pair is logged
 * and ignored until the files agree again. Polls, because inotify does not see the atomic symlink swap
 * the kubelet does.
 */
export class TlsReloader {
  private current: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly files: TlsFiles,
    initial: TlsMaterial,
    private readonly targets: SecureContextTarget[],
    private readonly logger: Logger,
  ) {
    this.current = fingerprint(initial);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the files; true when a new pair was installed. */
  check(): boolean {
    let material: TlsMaterial;
    try {
      material = readTlsMaterial(this.files);
    } catch (error) {
      this.logger.warn({ err: error }, 'TLS certificate files unreadable or mismatched; keeping the current pair');
      return false;
    }
    const next = fingerprint(material);
    if (next === this.current) return false;
    for (const target of this.targets) target.setSecureContext(material);
    this.current = next;
    const leaf = new X509Certificate(material.cert);
    this.logger.info(
      { subject: leaf.subject, serialNumber: leaf.serialNumber, validTo: leaf.validTo },
      'TLS certificate reloaded',
    );
    return true;
  }
}
