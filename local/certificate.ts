import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { DAY_MS } from '../core/time/durations';

export interface LocalCertificate {
  key: string;
  cert: string;
}

function stillValid(cert: string): boolean {
  try {
    return new Date(new X509Certificate(cert).validTo).getTime() > Date.now() + 7 * DAY_MS;
  } catch {
    return false;
  }
}

/**
 * The loopback certificate shared by the Graph simulator and the embedded Cosmos DB. Only the
 * product's own Graph and Cosmos clients are told to trust it (by CA pinning), never the process.
 * Kept in the data folder so every start presents the same certificate.
 */
export async function localCertificate(dataDir: string): Promise<LocalCertificate> {
  const dir = path.join(dataDir, 'tls');
  const keyFile = path.join(dir, 'localhost.key');
  const certFile = path.join(dir, 'localhost.crt');
  try {
    const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
    if (stillValid(cert)) return { key, cert };
  } catch {
    // No certificate yet: make one below.
  }
  const made = await generateCertificate();
  await mkdir(dir, { recursive: true });
  await Promise.all([writeFile(keyFile, made.key, { mode: 0o600 }), writeFile(certFile, made.cert)]);
  return made;
}

/** A fresh loopback certificate (localhost and 127.0.0.1), held in memory only. */
export async function generateCertificate(): Promise<LocalCertificate> {
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 825 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
