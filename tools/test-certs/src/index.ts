/**
 * A self-signed P-256 certificate for the TLS and wss tests, made by the openssl command (null
 * where there is none, so that a test can skip with a message). It comes as files, for a
 * process's `--cert`/`--key`, and as PEM text, for a listener's `tls` option, with the SHA-256
 * fingerprint a client pins, written as a user copies it ("AB:CD:…").
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One self-signed certificate and its private key, on disk and in memory. */
export interface SelfSignedCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  /** The certificate, PEM. */
  readonly cert: string;
  /** The unencrypted private key, PEM. */
  readonly key: string;
  /** SHA-256 of the certificate's DER bytes, colon-separated hex pairs. */
  readonly fingerprint256: string;
}

/** A fresh self-signed certificate in a new temporary directory, or null without openssl. */
export function selfSigned(): SelfSignedCertificate | null {
  const dir = mkdtempSync(join(tmpdir(), 'secinfer-cert-'));
  const [certPath, keyPath] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
      ].concat(['-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=secinfer-test']),
      { stdio: 'ignore' },
    );
  } catch {
    return null;
  }
  const cert = readFileSync(certPath, 'utf8');
  return {
    certPath,
    keyPath,
    cert,
    key: readFileSync(keyPath, 'utf8'),
    fingerprint256: new X509Certificate(cert).fingerprint256,
  };
}
