/**
 * PKCS#12 (.p12/.pfx) reading with pkijs: checks the password MAC, decrypts the key and
 * certificate bags, and returns the private key with its certificate chain (signer first).
 *
 * Encryption schemes: PBES2 (what OpenSSL 3 and current Windows write: AES-CBC with
 * PBKDF2) through pkijs, and the legacy pbeWithSHAAnd3-KeyTripleDES-CBC (older exports)
 * with the RFC 7292 appendix B key derivation here, since pkijs only knows PBES2.
 * RC2-40 (OpenSSL's `-legacy` default for certificates) is refused by name: OpenSSL 3
 * itself needs its legacy provider for it.
 */
import { createDecipheriv, createHash, createPrivateKey, createPublicKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SigningError } from '../signer.ts';

/** PKCS#12 files above this size are refused before parsing. */
export const MAX_PKCS12_BYTES = 1024 * 1024;

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
};
const LEGACY_NAMES: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.12.1.4': 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.5': 'pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHAAnd40BitRC2-CBC',
};

const engine = new pkijs.CryptoEngine({ name: 'hocba-pkcs12', crypto: webcrypto as unknown as Crypto });

export interface Pkcs12Contents {
  privateKey: KeyObject;
  /** DER certificates: the key's certificate first, then its issuers found in the file (self-signed roots left out). */
  chain: Uint8Array[];
}

const bad = (message: string, cause?: unknown) => new SigningError('document_invalid', `PKCS#12: ${message}`, { cause });
const toArrayBuffer = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

/** RFC 7292 appendix B.2 key derivation (SHA-1), for the legacy PBE schemes. */
function pkcs12Kdf(password: string, salt: Uint8Array, id: 1 | 2, iterations: number, length: number): Buffer {
  const u = 20;
  const v = 64;
  const pwd = password.length ? Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)]) : Buffer.alloc(0);
  const fill = (src: Uint8Array) => {
    const out = Buffer.alloc(src.length ? v * Math.ceil(src.length / v) : 0);
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(pwd)]);
  const D = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let A = createHash('sha1').update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash('sha1').update(A).digest();
    out.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

/** Decrypts data protected by the scheme named in `alg`; `where` names the bag for errors. */
async function decrypt(alg: pkijs.AlgorithmIdentifier, data: Uint8Array, password: string, where: string, viaPkijs: () => Promise<ArrayBuffer>): Promise<Uint8Array> {
  if (alg.algorithmId === OIDS.pbes2) {
    try {
      return new Uint8Array(await viaPkijs());
    } catch (err) {
      throw new SigningError('signer_auth_failed', `PKCS#12: cannot decrypt the ${where} (wrong password or unsupported PBES2 parameters)`, { cause: err });
    }
  }
  if (alg.algorithmId === OIDS.pbeSha3Des) {
    const params = alg.algorithmParams as asn1js.Sequence | undefined;
    const [saltNode, iterNode] = (params?.valueBlock.value ?? []) as [asn1js.OctetString?, asn1js.Integer?];
    if (!saltNode || !iterNode) throw bad(`${where}: malformed pbeWithSHAAnd3-KeyTripleDES-CBC parameters`);
    const salt = saltNode.valueBlock.valueHexView;
    const iterations = iterNode.valueBlock.valueDec;
    if (iterations < 1 || iterations > 10_000_000) throw bad(`${where}: implausible iteration count ${iterations}`);
    const key = pkcs12Kdf(password, salt, 1, iterations, 24);
    const iv = pkcs12Kdf(password, salt, 2, iterations, 8);
    try {
      const d = createDecipheriv('des-ede3-cbc', key, iv);
      return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
    } catch (err) {
      throw new SigningError('signer_auth_failed', `PKCS#12: cannot decrypt the ${where} (wrong password)`, { cause: err });
    }
  }
  const name = LEGACY_NAMES[alg.algorithmId];
  throw new SigningError('unsupported_algorithm', `PKCS#12: the ${where} uses ${name ?? alg.algorithmId}${name ? ` (${alg.algorithmId})` : ''}, which is not supported; re-export with AES (openssl pkcs12 -export without -legacy)`);
}

/**
 * Reads a PKCS#12 file: verifies the password MAC, decrypts, and returns the private key
 * whose public key matches a certificate in the file, with that certificate's chain.
 * Wrong password → signer_auth_failed (the password never appears in messages).
 */
export async function readPkcs12(bytes: Uint8Array, password: string): Promise<Pkcs12Contents> {
  if (bytes.length > MAX_PKCS12_BYTES) throw bad(`file of ${bytes.length} bytes exceeds the ${MAX_PKCS12_BYTES}-byte limit`);
  const passwordBuf = toArrayBuffer(new TextEncoder().encode(password));
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(toArrayBuffer(bytes));
  } catch (err) {
    throw bad('not a PKCS#12 (PFX) structure', err);
  }
  if (pfx.authSafe.contentType !== OIDS.data) throw bad('only password-integrity files are supported (authSafe is not "data")');
  try {
    await pfx.parseInternalValues({ password: passwordBuf, checkIntegrity: pfx.macData !== undefined }, engine);
  } catch (err) {
    if (/integrity/i.test((err as Error).message ?? '')) throw new SigningError('signer_auth_failed', 'PKCS#12: wrong password (the integrity MAC does not match)', { cause: err });
    throw bad('cannot read the authenticated safe', err);
  }
  const authSafe = pfx.parsedValue?.authenticatedSafe;
  if (!authSafe) throw bad('no authenticated safe');

  const keys: Uint8Array[] = [];
  const certs: Uint8Array[] = [];
  for (const [index, info] of authSafe.safeContents.entries()) {
    let safeDer: Uint8Array;
    if (info.contentType === OIDS.data) {
      safeDer = new Uint8Array((info.content as asn1js.OctetString).getValue()); // joins constructed (BER) octet strings
    } else if (info.contentType === OIDS.encryptedData) {
      const ed = new pkijs.EncryptedData({ schema: info.content });
      safeDer = await decrypt(ed.encryptedContentInfo.contentEncryptionAlgorithm, new Uint8Array(ed.encryptedContentInfo.getEncryptedContent()), password, `certificate safe #${index + 1}`, () => ed.decrypt({ password: passwordBuf }, engine));
    } else {
      throw bad(`safe #${index + 1} has content type ${info.contentType} (public-key privacy mode is not supported)`);
    }
    let safe: pkijs.SafeContents;
    try {
      safe = pkijs.SafeContents.fromBER(toArrayBuffer(safeDer));
    } catch (err) {
      throw bad(`safe #${index + 1} is not valid SafeContents`, err);
    }
    for (const [b, bag] of safe.safeBags.entries()) {
      const where = `bag ${b + 1} of safe #${index + 1}`;
      if (bag.bagId === OIDS.keyBag) {
        keys.push(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER()));
      } else if (bag.bagId === OIDS.shroudedKeyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        const plain = await decrypt(shrouded.encryptionAlgorithm, shrouded.encryptedData.valueBlock.valueHexView, password, `private key (${where})`, async () => {
          // parseInternalValues is declared protected in pkijs' typings but is the documented way in.
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }, c: pkijs.ICryptoEngine): Promise<void> }).parseInternalValues({ password: passwordBuf }, engine);
          return shrouded.parsedValue!.toSchema().toBER();
        });
        keys.push(plain);
      } else if (bag.bagId === OIDS.certBag) {
        const cb = bag.bagValue as pkijs.CertBag;
        if (cb.certId === OIDS.x509Certificate) certs.push(new Uint8Array((cb.parsedValue ?? cb.certValue).toSchema().toBER()));
      }
    }
  }
  if (keys.length === 0) throw bad('no private key in the file');
  if (keys.length > 1) throw bad(`${keys.length} private keys in the file; expected exactly one`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(keys[0]!), format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw bad('the private key is not valid PKCS#8', err);
  }
  const parsed = certs.map((der) => ({ der, x509: new X509Certificate(Buffer.from(der)) }));
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' }).toString('hex');
  const mine = spki(createPublicKey(privateKey));
  const leaf = parsed.find((c) => spki(c.x509.publicKey) === mine);
  if (!leaf) throw bad('no certificate in the file matches the private key');
  const chain = [leaf];
  for (;;) {
    const last = chain[chain.length - 1]!;
    if (last.x509.checkIssued(last.x509)) break; // self-signed: end of chain
    const issuer = parsed.find((c) => !chain.includes(c) && last.x509.checkIssued(c.x509) && last.x509.verify(c.x509.publicKey));
    if (!issuer || issuer.x509.checkIssued(issuer.x509)) break; // roots are left to the trust store
    chain.push(issuer);
  }
  return { privateKey, chain: chain.map((c) => c.der) };
}
