/**
 * PKCS#11 adapter (graphene-pk11): a private key on a smart card, USB token or HSM. The
 * token does the private-key operation; the digest is computed elsewhere, so RSA uses
 * CKM_RSA_PKCS over DigestInfo(digest) and ECDSA uses CKM_ECDSA over the digest itself
 * (the token returns r||s, which is the port's form). Tested with SoftHSM2.
 *
 * A PKCS#11 module is process-wide state (C_Initialize/C_Finalize), so modules are shared
 * between signers through a reference count and finalised when the last signer closes.
 */
import * as graphene from 'graphene-pk11';
import { X509Certificate } from 'node:crypto';
import { SigningError, type SignDigestsRequest, type SignatureAlgorithm, type Signer } from '../signer.ts';
import { algorithmsFor, checkRequest, digestInfo, ecFieldBytes, keyInfoOfCertificate, throwIfAborted } from './algorithms.ts';

export interface Pkcs11SignerOptions {
  /** Path of the vendor's PKCS#11 library (.so / .dll / .dylib). */
  modulePath: string;
  /** Index among the slots that hold a token (0 = first). */
  slot?: number;
  /** Or: the token's label. Without slot or label, the only token present is used. */
  tokenLabel?: string;
  /** User PIN. Never logged, never put in an error message. */
  pin: string;
  /** CKA_LABEL of the private key. */
  keyLabel?: string;
  /** Or: CKA_ID of the private key, as hex. Without either, the only private key on the token is used. */
  keyId?: string;
  /** CKA_LABEL of the certificate; default: the certificate with the key's CKA_ID. */
  certificateLabel?: string;
  /** Issuer certificates (DER) to append when the token does not hold them. */
  chain?: Uint8Array[];
  description?: string;
}

/** A Signer holding a logged-in token session: close() logs out and releases the module. */
export interface Pkcs11Signer extends Signer {
  readonly tokenLabel: string;
  close(): Promise<void>;
}

export interface Pkcs11TokenInfo {
  slot: number;
  label: string;
  manufacturer: string;
  model: string;
  serialNumber: string;
}

// ---------- module sharing ----------

const modules = new Map<string, { module: graphene.Module; refs: number }>();

function acquireModule(modulePath: string): graphene.Module {
  const entry = modules.get(modulePath);
  if (entry) {
    entry.refs++;
    return entry.module;
  }
  let module: graphene.Module;
  try {
    module = graphene.Module.load(modulePath, 'pkcs11');
  } catch (err) {
    throw new SigningError('signer_unavailable', `PKCS#11: cannot load the module ${modulePath} (${(err as Error).message})`, { cause: err });
  }
  try {
    module.initialize();
  } catch (err) {
    try {
      module.close();
    } catch {
      /* already failing */
    }
    throw new SigningError('signer_unavailable', `PKCS#11: cannot initialise the module ${modulePath} (${pkcs11Code(err)})`, { cause: err });
  }
  modules.set(modulePath, { module, refs: 1 });
  return module;
}

function releaseModule(modulePath: string): void {
  const entry = modules.get(modulePath);
  if (!entry) return;
  if (--entry.refs > 0) return;
  modules.delete(modulePath);
  try {
    entry.module.finalize();
  } finally {
    entry.module.close();
  }
}

/** The CKR_* name of a pkcs11js error (its message), never anything the caller passed in. */
function pkcs11Code(err: unknown): string {
  const m = /CKR_[A-Z_]+/.exec((err as Error)?.message ?? '');
  return m ? m[0] : ((err as Error)?.message ?? String(err)).slice(0, 120);
}

const AUTH_CODES = new Set(['CKR_PIN_INCORRECT', 'CKR_PIN_INVALID', 'CKR_PIN_LEN_RANGE', 'CKR_PIN_LOCKED', 'CKR_PIN_EXPIRED', 'CKR_USER_PIN_NOT_INITIALIZED']);
const GONE_CODES = new Set(['CKR_TOKEN_NOT_PRESENT', 'CKR_DEVICE_REMOVED', 'CKR_DEVICE_ERROR', 'CKR_SESSION_HANDLE_INVALID', 'CKR_SESSION_CLOSED', 'CKR_TOKEN_NOT_RECOGNIZED', 'CKR_SLOT_ID_INVALID', 'CKR_CRYPTOKI_NOT_INITIALIZED']);

function mapError(err: unknown, where: string, action: string): SigningError {
  if (err instanceof SigningError) return err;
  const code = pkcs11Code(err);
  if (AUTH_CODES.has(code)) {
    const hint = code === 'CKR_PIN_LOCKED' ? 'the PIN is locked (too many wrong attempts)' : 'wrong PIN';
    return new SigningError('signer_auth_failed', `${where}: ${action} failed: ${hint} (${code})`, { cause: err });
  }
  if (GONE_CODES.has(code)) return new SigningError('signer_unavailable', `${where}: ${action} failed: the token is not available (${code})`, { cause: err });
  if (code === 'CKR_MECHANISM_INVALID' || code === 'CKR_KEY_TYPE_INCONSISTENT' || code === 'CKR_KEY_FUNCTION_NOT_PERMITTED') {
    return new SigningError('unsupported_algorithm', `${where}: ${action} failed: the token refuses this key/mechanism (${code})`, { cause: err });
  }
  return new SigningError('signer_unavailable', `${where}: ${action} failed (${code})`, { cause: err });
}

// ---------- token discovery ----------

function tokenSlots(module: graphene.Module): { index: number; slot: graphene.Slot; token: graphene.Token }[] {
  const slots = module.getSlots(true);
  const out: { index: number; slot: graphene.Slot; token: graphene.Token }[] = [];
  for (let i = 0; i < slots.length; i++) {
    const slot = slots.items(i);
    const token = slot.getToken();
    if (token.flags & graphene.TokenFlag.TOKEN_INITIALIZED) out.push({ index: i, slot, token });
  }
  return out;
}

/** Tokens present in a PKCS#11 module's slots (for `hocba agent --list-tokens` and diagnostics). */
export function listPkcs11Tokens(modulePath: string): Pkcs11TokenInfo[] {
  const module = acquireModule(modulePath);
  try {
    return tokenSlots(module).map(({ index, token }) => ({
      slot: index,
      label: token.label.trim(),
      manufacturer: token.manufacturerID.trim(),
      model: token.model.trim(),
      serialNumber: token.serialNumber.trim(),
    }));
  } catch (err) {
    throw mapError(err, `PKCS#11 module ${modulePath}`, 'listing tokens');
  } finally {
    releaseModule(modulePath);
  }
}

function pickSlot(module: graphene.Module, o: Pkcs11SignerOptions): { slot: graphene.Slot; label: string } {
  const tokens = tokenSlots(module);
  const labels = tokens.map((t) => `"${t.token.label.trim()}"`).join(', ') || 'none';
  let chosen;
  if (o.tokenLabel !== undefined) {
    chosen = tokens.find((t) => t.token.label.trim() === o.tokenLabel);
    if (!chosen) throw new SigningError('signer_unavailable', `PKCS#11: no token labelled "${o.tokenLabel}" in ${o.modulePath} (present: ${labels})`);
  } else if (o.slot !== undefined) {
    chosen = tokens[o.slot];
    if (!chosen) throw new SigningError('signer_unavailable', `PKCS#11: no token in slot ${o.slot} of ${o.modulePath} (${tokens.length} token(s) present: ${labels})`);
  } else {
    if (tokens.length === 0) throw new SigningError('signer_unavailable', `PKCS#11: no token present in ${o.modulePath} (is the token plugged in?)`);
    if (tokens.length > 1) throw new SigningError('signer_unavailable', `PKCS#11: ${tokens.length} tokens present in ${o.modulePath} (${labels}); choose one with tokenLabel or slot`);
    chosen = tokens[0]!;
  }
  return { slot: chosen.slot, label: chosen.token.label.trim() };
}

function findOne<T extends graphene.SessionObject>(session: graphene.Session, template: graphene.ITemplate): T[] {
  const found = session.find(template);
  // graphene: items(0) on an empty collection is not null, so always go by length.
  const out: T[] = [];
  for (let i = 0; i < found.length; i++) out.push(found.items(i).toType<T>());
  return out;
}

function certificateChainFrom(leaf: Uint8Array, pool: Uint8Array[], extra: Uint8Array[]): Uint8Array[] {
  const parsed = [...pool, ...extra].map((der) => ({ der, x509: new X509Certificate(Buffer.from(der)) }));
  const chain = [{ der: leaf, x509: new X509Certificate(Buffer.from(leaf)) }];
  for (;;) {
    const last = chain[chain.length - 1]!;
    if (last.x509.checkIssued(last.x509)) break;
    const issuer = parsed.find((c) => !chain.some((x) => x.x509.raw.equals(c.x509.raw)) && last.x509.checkIssued(c.x509) && last.x509.verify(c.x509.publicKey));
    if (!issuer || issuer.x509.checkIssued(issuer.x509)) break; // the root comes from the trust store
    chain.push(issuer);
  }
  return chain.map((c) => new Uint8Array(c.der));
}

// ---------- the signer ----------

/**
 * Opens a session on the token, logs in with the PIN, finds the private key and its
 * certificate (and the issuers stored on the token), and returns a Signer. Wrong PIN →
 * 'signer_auth_failed'; missing module or token → 'signer_unavailable'. Call close().
 */
export async function openPkcs11Signer(o: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  const module = acquireModule(o.modulePath);
  let session: graphene.Session | null = null;
  let loggedIn = false;
  let where = `PKCS#11 token in ${o.modulePath}`;
  const cleanup = () => {
    try {
      if (loggedIn) session?.logout();
    } catch {
      /* token may be gone */
    }
    try {
      session?.close();
    } catch {
      /* token may be gone */
    }
    releaseModule(o.modulePath);
  };
  try {
    const picked = pickSlot(module, o);
    where = `PKCS#11 token "${picked.label}"`;
    session = picked.slot.open(graphene.SessionFlag.SERIAL_SESSION);
    try {
      session.login(o.pin, graphene.UserType.USER);
      loggedIn = true;
    } catch (err) {
      if (pkcs11Code(err) === 'CKR_USER_ALREADY_LOGGED_IN') loggedIn = true;
      else throw mapError(err, where, 'login');
    }
    const keyTemplate: graphene.ITemplate = { class: graphene.ObjectClass.PRIVATE_KEY };
    if (o.keyLabel !== undefined) keyTemplate.label = o.keyLabel;
    if (o.keyId !== undefined) keyTemplate.id = Buffer.from(o.keyId, 'hex');
    const keys = findOne<graphene.PrivateKey>(session, keyTemplate);
    const keyName = o.keyLabel !== undefined ? `label "${o.keyLabel}"` : o.keyId !== undefined ? `id ${o.keyId}` : 'any label';
    if (keys.length === 0) throw new SigningError('signer_unavailable', `${where}: no private key with ${keyName}`);
    if (keys.length > 1) {
      const names = keys.map((k) => `"${k.label}" (id ${k.id.toString('hex')})`).join(', ');
      throw new SigningError('signer_unavailable', `${where}: ${keys.length} private keys match ${keyName}: ${names}; choose one with keyLabel or keyId`);
    }
    const key = keys[0]!;
    const keyLabel = key.label;
    where = `${where}, key "${keyLabel}"`;

    const allCerts = findOne<graphene.X509Certificate>(session, { class: graphene.ObjectClass.CERTIFICATE });
    const leafObj =
      o.certificateLabel !== undefined
        ? allCerts.find((c) => c.label === o.certificateLabel)
        : allCerts.find((c) => c.id.length > 0 && c.id.equals(key.id));
    if (!leafObj) {
      throw new SigningError('certificate_invalid', `${where}: no certificate ${o.certificateLabel !== undefined ? `labelled "${o.certificateLabel}"` : `with the key's id ${key.id.toString('hex')}`} on the token`);
    }
    const leaf = new Uint8Array(leafObj.value);
    const keyInfo = keyInfoOfCertificate(leaf, `${where} certificate`);
    const tokenKeyType = key.type === graphene.KeyType.RSA ? 'rsa' : key.type === graphene.KeyType.EC ? 'ec' : 'other';
    if (tokenKeyType !== keyInfo.type) {
      throw new SigningError('certificate_invalid', `${where}: the certificate "${leafObj.label}" does not belong to this key (${keyInfo.type.toUpperCase()} certificate, ${tokenKeyType.toUpperCase()} key)`);
    }
    if (keyInfo.type === 'rsa') {
      // Refuse a certificate that belongs to another key: the signatures would never verify.
      let modulus: Buffer | null = null;
      try {
        modulus = key.getAttribute({ modulus: null }).modulus as Buffer;
      } catch {
        /* some tokens hide it; then only verification will tell */
      }
      const certModulus = Buffer.from(new X509Certificate(Buffer.from(leaf)).publicKey.export({ format: 'jwk' }).n!, 'base64url');
      if (modulus && !modulus.equals(certModulus)) throw new SigningError('certificate_invalid', `${where}: the certificate "${leafObj.label}" does not belong to this key`);
    }
    const algorithms = algorithmsFor(keyInfo, where);
    const chain = certificateChainFrom(leaf, allCerts.filter((c) => c !== leafObj).map((c) => new Uint8Array(c.value)), o.chain ?? []);
    const openSession = session;
    const description = o.description ?? where;
    let closed = false;
    let queue: Promise<unknown> = Promise.resolve();

    const signOne = (mechanism: 'RSA_PKCS' | 'ECDSA', data: Buffer) =>
      new Promise<Buffer>((resolve, reject) => {
        try {
          openSession.createSign(mechanism, key).once(data, (err, sig) => (err ? reject(err) : resolve(Buffer.from(sig))));
        } catch (err) {
          reject(err);
        }
      });

    return {
      description,
      tokenLabel: picked.label,
      async certificateChain() {
        return chain;
      },
      async algorithms(): Promise<SignatureAlgorithm[]> {
        return algorithms;
      },
      signDigests(req: SignDigestsRequest) {
        // One operation at a time per session (PKCS#11 sessions are not re-entrant).
        const run = queue.then(async () => {
          if (closed) throw new SigningError('signer_unavailable', `${where}: the signer is closed`);
          const digestAlg = checkRequest(req, keyInfo, where);
          const out: Uint8Array[] = [];
          if (req.items.length === 0) return out;
          for (const [i, item] of req.items.entries()) {
            throwIfAborted(req.signal, where);
            try {
              if (keyInfo.type === 'rsa') {
                out.push(new Uint8Array(await signOne('RSA_PKCS', digestInfo(digestAlg, item.digest))));
              } else {
                const size = ecFieldBytes(keyInfo.curve);
                const e = Buffer.from(item.digest.length > size ? item.digest.subarray(0, size) : item.digest);
                const sig = await signOne('ECDSA', e);
                if (sig.length !== size * 2) throw new SigningError('signer_unavailable', `${where}: the token returned a ${sig.length}-byte ECDSA signature for item ${i}, expected ${size * 2}`);
                out.push(new Uint8Array(sig));
              }
            } catch (err) {
              throw mapError(err, where, `signing item ${i}`);
            }
          }
          throwIfAborted(req.signal, where);
          return out;
        });
        queue = run.catch(() => undefined);
        return run;
      },
      async close() {
        if (closed) return;
        closed = true;
        await queue;
        cleanup();
      },
    };
  } catch (err) {
    cleanup();
    throw mapError(err, where, 'opening the token');
  }
}
