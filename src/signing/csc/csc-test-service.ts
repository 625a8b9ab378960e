/**
 * A CSC API v2 remote signing service for tests and the demo — TEST keys only, never real
 * ones. It behaves like a qualified trust service's hash-signing API: users with bearer
 * tokens, credentials (key + certificate chain), one authorisation (SAD) for N hashes bound
 * to those hashes, and the asynchronous approval pattern where the person confirms on a
 * phone: credentials/authorize answers 202 with a handle and the client polls
 * credentials/authorizeCheck until approved, rejected or expired.
 *
 * Each user has an approval mode — 'auto', { delayMs }, 'reject', 'never' (stays pending
 * until the window closes, unless the test approves or rejects it through the hooks, which
 * play the phone app). States are computed when polled, so no timers are left running.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { digestOf, type DigestAlgorithm, type SignatureAlgorithm, type Signer } from '../signer.ts';
import { DIGEST_LENGTH, digestOfHashOid, ecdsaP1363ToDer, keyInfoOfCertificate, OID, type KeyInfo } from '../signers/algorithms.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import {
  b64,
  CSC_ERROR_EXPIRED,
  CSC_ERROR_REJECTED,
  CSC_PREFIX,
  CSC_SPECS_VERSION,
  fromB64,
  type CscAuthorizeRequest,
  type CscCredentialInfoResponse,
  type CscInfoResponse,
  type CscSignHashRequest,
} from './csc-protocol.ts';

export type CscApproval = 'auto' | { delayMs: number } | 'reject' | 'never';

export interface CscTestCredential {
  id: string;
  /** PKCS#8 DER or PEM. */
  privateKey: string | Uint8Array;
  /** DER certificates, end entity first. */
  chain: Uint8Array[];
  /** Maximum signatures per authorisation (CSC `multisign`); default 1000. */
  multisign?: number;
  disabled?: boolean;
}

export interface CscTestUser {
  id: string;
  /** For /csc/v2/auth/login (HTTP Basic). */
  password?: string;
  /** When set, credentials/authorize requires authData [{ id: 'PIN', value }] ("explicit" mode). */
  pin?: string;
  approval?: CscApproval;
  credentials: CscTestCredential[];
}

export interface CscTestServiceOptions {
  users: CscTestUser[];
  /** OAuth 2.0 client-credentials clients, each acting for one user. */
  clients?: { clientId: string; clientSecret: string; userId: string }[];
  /** How long a pending approval waits before it expires; default 60 s. */
  approvalWindowMs?: number;
  /** SAD lifetime; default 300 s. */
  sadLifetimeSec?: number;
  port?: number;
}

export interface PendingAuthorization {
  handle: string;
  userId: string;
  credentialID: string;
  numSignatures: number;
  description?: string;
}

export interface CscTestService {
  /** Service root (CSC methods are under `${url}/csc/v2`). */
  url: string;
  /** A fresh bearer token for a user (what auth/login would return). */
  tokenFor(userId: string): string;
  setApproval(userId: string, approval: CscApproval): void;
  /** Authorisations waiting for the person (phone app view). */
  pending(): PendingAuthorization[];
  /** Resolves with the next authorisation that waits for approval (or one already waiting). */
  nextPending(): Promise<PendingAuthorization>;
  approve(handle: string): void;
  reject(handle: string): void;
  /** Calls per method, for assertions such as "one authorisation for N hashes". */
  readonly calls: Record<string, number>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const MAX_FAILED_PINS = 5;

class CscError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}
const invalid = (description: string) => new CscError(400, 'invalid_request', description);

interface Credential {
  def: CscTestCredential;
  signer: Signer;
  key: KeyInfo;
  user: User;
  failedPins: number;
}
interface User {
  def: CscTestUser;
  approval: CscApproval;
}
interface Authorization {
  handle: string;
  user: User;
  credential: Credential;
  request: { numSignatures: number; hashes: string[]; hashAlg: DigestAlgorithm; description?: string };
  createdAt: number;
  decided: 'approved' | 'rejected' | null;
}
interface Sad {
  credential: Credential;
  hashes: string[]; // remaining authorised hashes (base64)
  hashAlg: DigestAlgorithm;
  remaining: number;
  expiresAt: number;
}

function certInfo(der: Uint8Array) {
  const c = new X509Certificate(Buffer.from(der));
  const stamp = (d: string) => new Date(d).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return { subjectDN: c.subject.replace(/\n/g, ', '), issuerDN: c.issuer.replace(/\n/g, ', '), serialNumber: c.serialNumber, validFrom: stamp(c.validFrom), validTo: stamp(c.validTo) };
}

function algoOids(key: KeyInfo): string[] {
  return key.type === 'rsa'
    ? [OID.rsaEncryption, OID.sha256WithRSAEncryption, OID.sha384WithRSAEncryption, OID.sha512WithRSAEncryption]
    : [OID.ecdsaWithSHA256, OID.ecdsaWithSHA384];
}

/** signAlgo (+ hashAlgorithmOID) → the port's algorithm, or a CSC error. */
function algorithmOf(key: KeyInfo, signAlgo: unknown, hashOid: unknown): SignatureAlgorithm {
  if (typeof signAlgo !== 'string') throw invalid('Missing (or invalid type) string parameter signAlgo');
  if (!algoOids(key).includes(signAlgo)) throw invalid(`Invalid parameter signAlgo: ${signAlgo} is not in key/algo`);
  const implied: Record<string, SignatureAlgorithm> = {
    [OID.sha256WithRSAEncryption]: 'RSASSA-PKCS1-v1_5-SHA256',
    [OID.sha384WithRSAEncryption]: 'RSASSA-PKCS1-v1_5-SHA384',
    [OID.sha512WithRSAEncryption]: 'RSASSA-PKCS1-v1_5-SHA512',
    [OID.ecdsaWithSHA256]: 'ECDSA-SHA256',
    [OID.ecdsaWithSHA384]: 'ECDSA-SHA384',
  };
  const alg = implied[signAlgo];
  if (alg) {
    if (hashOid !== undefined && digestOfHashOid(String(hashOid)) !== digestOf(alg)) throw invalid('Invalid parameter hashAlgorithmOID: it contradicts signAlgo');
    return alg;
  }
  // rsaEncryption: the hash comes from hashAlgorithmOID.
  if (typeof hashOid !== 'string') throw invalid('Missing (or invalid type) string parameter hashAlgorithmOID');
  const d = digestOfHashOid(hashOid);
  if (!d) throw invalid(`Invalid parameter hashAlgorithmOID: ${hashOid}`);
  return `RSASSA-PKCS1-v1_5-${d.replace('-', '')}` as SignatureAlgorithm;
}

function checkHashes(hashes: unknown, alg: DigestAlgorithm, name = 'hashes'): string[] {
  if (!Array.isArray(hashes)) throw invalid(`Missing (or invalid type) array parameter ${name}`);
  if (hashes.length === 0) throw invalid('Empty hash array');
  hashes.forEach((h, i) => {
    const bytes = fromB64(h);
    if (!bytes) throw invalid(`Invalid Base64 hash string parameter (${name}[${i}])`);
    if (bytes.length !== DIGEST_LENGTH[alg]) throw invalid(`Invalid hash length in ${name}[${i}]: ${bytes.length} bytes for ${alg}`);
  });
  return hashes as string[];
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new CscError(413, 'invalid_request', `Request body exceeds ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw invalid('The request body is not a JSON object');
  }
}

/** Starts the CSC test service on 127.0.0.1 (port 0 unless given). */
export async function startCscTestService(opts: CscTestServiceOptions): Promise<CscTestService> {
  const windowMs = opts.approvalWindowMs ?? 60_000;
  const sadLifetimeMs = (opts.sadLifetimeSec ?? 300) * 1000;
  const users = new Map<string, User>();
  const credentials = new Map<string, Credential>();
  for (const def of opts.users) {
    const user: User = { def, approval: def.approval ?? 'auto' };
    users.set(def.id, user);
    for (const c of def.credentials) {
      if (credentials.has(c.id)) throw new Error(`CSC test service: duplicate credential id ${c.id}`);
      const signer = softwareSigner({ privateKey: c.privateKey, chain: c.chain, description: `CSC credential ${c.id}` });
      credentials.set(c.id, { def: c, signer, key: keyInfoOfCertificate(c.chain[0]!, `credential ${c.id}`), user, failedPins: 0 });
    }
  }
  const tokens = new Map<string, { userId: string; expiresAt: number }>();
  const authorizations = new Map<string, Authorization>();
  const sads = new Map<string, Sad>();
  const waiters: ((p: PendingAuthorization) => void)[] = [];
  const calls: Record<string, number> = {};
  const random = () => randomBytes(24).toString('base64url');

  const issueToken = (userId: string) => {
    const t = random();
    tokens.set(t, { userId, expiresAt: Date.now() + 3600_000 });
    return t;
  };
  const view = (a: Authorization): PendingAuthorization => ({
    handle: a.handle,
    userId: a.user.def.id,
    credentialID: a.credential.def.id,
    numSignatures: a.request.numSignatures,
    ...(a.request.description ? { description: a.request.description } : {}),
  });
  const waitsForPerson = (a: Authorization) => a.decided === null && (a.user.approval === 'never' || typeof a.user.approval === 'object') && Date.now() - a.createdAt <= windowMs;

  const userOf = (req: IncomingMessage): User => {
    const h = req.headers.authorization;
    if (!h) throw new CscError(401, 'invalid_token', 'Missing Authorization header');
    const m = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/.exec(h);
    if (!m) throw invalid('Malformed authorization header');
    const t = tokens.get(m[1]!);
    if (!t || t.expiresAt < Date.now()) throw new CscError(401, 'invalid_token', 'The access token is invalid or expired');
    return users.get(t.userId)!;
  };
  const credentialOf = (user: User, id: unknown): Credential => {
    if (typeof id !== 'string') throw invalid('Missing (or invalid type) string parameter credentialID');
    const c = credentials.get(id);
    if (!c || c.user !== user) throw invalid('Invalid parameter credentialID');
    return c;
  };
  const issueSad = (a: Authorization) => {
    const sad = random();
    sads.set(sad, { credential: a.credential, hashes: [...a.request.hashes], hashAlg: a.request.hashAlg, remaining: a.request.numSignatures, expiresAt: Date.now() + sadLifetimeMs });
    return { SAD: sad, expiresIn: Math.floor(sadLifetimeMs / 1000) };
  };
  /** Where an authorisation stands now: 'approved' | 'rejected' | 'expired' | 'pending'. */
  const stateOf = (a: Authorization) => {
    if (a.decided) return a.decided;
    const mode = a.user.approval;
    if (mode === 'auto') return 'approved';
    if (mode === 'reject') return 'rejected';
    if (typeof mode === 'object' && Date.now() - a.createdAt >= mode.delayMs) return 'approved';
    if (Date.now() - a.createdAt > windowMs) return 'expired';
    return 'pending';
  };
  const answer = (a: Authorization): [number, unknown] => {
    const state = stateOf(a);
    if (state === 'pending') return [202, { handle: a.handle }];
    authorizations.delete(a.handle); // a decision is reported once; the handle is then spent
    if (state === 'approved') return [200, issueSad(a)];
    if (state === 'rejected') throw new CscError(400, CSC_ERROR_REJECTED, 'The user rejected the authorization request');
    throw new CscError(400, CSC_ERROR_EXPIRED, 'The authorization request expired before the user approved it');
  };

  const methods: Record<string, (req: IncomingMessage, body: Record<string, unknown>) => Promise<[number, unknown]> | [number, unknown]> = {
    [`${CSC_PREFIX}/info`]: () => {
      const info: CscInfoResponse = {
        specs: CSC_SPECS_VERSION,
        name: 'hocba CSC TEST service — KHÔNG DÙNG THẬT',
        logo: '',
        region: 'VN',
        lang: 'vi-VN',
        description: 'Remote hash signing for tests and the demo. TEST keys only.',
        authType: ['basic', 'oauth2client'],
        oauth2: url,
        methods: ['auth/login', 'credentials/list', 'credentials/info', 'credentials/authorize', 'credentials/authorizeCheck', 'signatures/signHash'],
      };
      return [200, info];
    },
    [`${CSC_PREFIX}/auth/login`]: (req) => {
      const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [name, ...rest] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
      const user = name ? users.get(name) : undefined;
      if (!user || user.def.password === undefined || user.def.password !== rest.join(':')) throw new CscError(401, 'invalid_grant', 'Invalid username or password');
      return [200, { access_token: issueToken(user.def.id), expires_in: 3600 }];
    },
    '/oauth2/token': (_req, body) => {
      if (body.grant_type !== 'client_credentials') throw new CscError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported');
      const client = opts.clients?.find((c) => c.clientId === body.client_id && c.clientSecret === body.client_secret);
      if (!client) throw new CscError(401, 'invalid_client', 'Invalid client credentials');
      return [200, { access_token: issueToken(client.userId), token_type: 'Bearer', expires_in: 3600 }];
    },
    [`${CSC_PREFIX}/credentials/list`]: (req) => {
      const user = userOf(req);
      return [200, { credentialIDs: user.def.credentials.map((c) => c.id), onlyValid: false }];
    },
    [`${CSC_PREFIX}/credentials/info`]: (req, body) => {
      const c = credentialOf(userOf(req), body.credentialID);
      const which = body.certificates ?? 'single';
      if (!['none', 'single', 'chain'].includes(String(which))) throw invalid('Invalid parameter certificates');
      const chain = which === 'none' ? [] : which === 'single' ? c.def.chain.slice(0, 1) : c.def.chain;
      const res: CscCredentialInfoResponse = {
        key: { status: c.def.disabled ? 'disabled' : 'enabled', algo: algoOids(c.key), len: c.key.type === 'rsa' ? c.key.bits : c.key.curve === 'P-256' ? 256 : 384, ...(c.key.type === 'ec' ? { curve: c.key.curve === 'P-256' ? '1.2.840.10045.3.1.7' : '1.3.132.0.34' } : {}) },
        cert: { status: 'valid', certificates: chain.map(b64), ...(body.certInfo ? certInfo(c.def.chain[0]!) : {}) },
        auth: c.user.def.pin !== undefined
          ? { mode: 'explicit', expression: 'PIN', objects: [{ type: 'Password', id: 'PIN', format: 'N', label: 'PIN', description: 'Mã PIN ký số / signing PIN' }] }
          : { mode: 'implicit' },
        SCAL: '2',
        multisign: c.def.multisign ?? 1000,
        lang: 'vi-VN',
      };
      return [200, res];
    },
    [`${CSC_PREFIX}/credentials/authorize`]: (req, raw) => {
      const user = userOf(req);
      const body = raw as Partial<CscAuthorizeRequest>;
      const c = credentialOf(user, body.credentialID);
      if (c.def.disabled) throw invalid('The credential identified by credentialID is disabled');
      if (typeof body.numSignatures !== 'number' || !Number.isInteger(body.numSignatures)) throw invalid('Missing (or invalid type) integer parameter numSignatures');
      if (body.numSignatures < 1) throw invalid('Invalid value for parameter numSignatures');
      if (body.numSignatures > (c.def.multisign ?? 1000)) throw invalid('Numbers of signatures is too high');
      const hashAlg = typeof body.hashAlgorithmOID === 'string' ? digestOfHashOid(body.hashAlgorithmOID) : null;
      if (!hashAlg) throw invalid('Missing or invalid parameter hashAlgorithmOID');
      // SCAL 2: the SAD is bound to exactly these hashes.
      const hashes = checkHashes(body.hashes, hashAlg);
      if (hashes.length !== body.numSignatures) throw invalid(`Number of hashes (${hashes.length}) does not match numSignatures (${body.numSignatures})`);
      if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 500)) throw invalid('Invalid parameter description');
      if (user.def.pin !== undefined) {
        if (c.failedPins >= MAX_FAILED_PINS) throw invalid('Credential locked');
        const pin = Array.isArray(body.authData) ? body.authData.find((a) => a?.id === 'PIN')?.value : undefined;
        if (pin !== user.def.pin) {
          c.failedPins++;
          throw new CscError(400, 'invalid_authentication_data', 'The authentication data is invalid');
        }
        c.failedPins = 0;
      }
      const a: Authorization = {
        handle: random(),
        user,
        credential: c,
        request: { numSignatures: body.numSignatures, hashes, hashAlg, ...(body.description ? { description: body.description } : {}) },
        createdAt: Date.now(),
        decided: null,
      };
      authorizations.set(a.handle, a);
      const result = answer(a);
      if (result[0] === 202 && waitsForPerson(a)) waiters.splice(0).forEach((w) => w(view(a)));
      return result;
    },
    [`${CSC_PREFIX}/credentials/authorizeCheck`]: (req, body) => {
      const user = userOf(req);
      const a = typeof body.handle === 'string' ? authorizations.get(body.handle) : undefined;
      if (!a || a.user !== user) throw invalid('Invalid parameter handle');
      return answer(a);
    },
    [`${CSC_PREFIX}/signatures/signHash`]: async (req, raw) => {
      const user = userOf(req);
      const body = raw as Partial<CscSignHashRequest>;
      const c = credentialOf(user, body.credentialID);
      if (typeof body.SAD !== 'string') throw invalid('Missing (or invalid type) string parameter SAD');
      const sad = sads.get(body.SAD);
      if (!sad || sad.credential !== c) throw invalid('Invalid parameter SAD');
      if (sad.expiresAt < Date.now()) {
        sads.delete(body.SAD);
        throw new CscError(400, CSC_ERROR_EXPIRED, 'The SAD has expired');
      }
      if (body.operationMode !== undefined && body.operationMode !== 'S') throw invalid('Only operationMode "S" is supported');
      const alg = algorithmOf(c.key, body.signAlgo, body.hashAlgorithmOID);
      if (digestOf(alg) !== sad.hashAlg) throw invalid(`The SAD authorises ${sad.hashAlg} hashes, not ${digestOf(alg)}`);
      const hashes = checkHashes(body.hashes, sad.hashAlg);
      if (hashes.length > sad.remaining) throw invalid(`${hashes.length} hashes exceed the ${sad.remaining} signature(s) the SAD still authorises`);
      const left = [...sad.hashes];
      for (const [i, h] of hashes.entries()) {
        const at = left.indexOf(h);
        if (at < 0) throw invalid(`Hash is not authorized by the SAD (hashes[${i}])`);
        left.splice(at, 1);
      }
      const sigs = await c.signer.signDigests({ algorithm: alg, items: hashes.map((h) => ({ digest: fromB64(h)! })) });
      sad.hashes = left;
      sad.remaining -= hashes.length;
      if (sad.remaining === 0) sads.delete(body.SAD);
      // ECDSA travels as DER ECDSA-Sig-Value, as X.509 and CMS carry it.
      return [200, { signatures: sigs.map((s) => b64(c.key.type === 'ec' ? ecdsaP1363ToDer(s, s.length / 2) : s)) }];
    },
  };

  const server = createServer((req, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const path = (req.url ?? '/').split('?')[0]!;
    const method = methods[path];
    if (!method) return send(404, { error: 'invalid_request', error_description: `Unknown method ${path}` });
    if (req.method !== 'POST') return send(405, { error: 'invalid_request', error_description: 'Use POST' });
    const name = path.replace(`${CSC_PREFIX}/`, '');
    calls[name] = (calls[name] ?? 0) + 1;
    readJson(req)
      .then((body) => method(req, body))
      .then(([status, body]) => send(status, body))
      .catch((err: unknown) => {
        if (err instanceof CscError) send(err.status, { error: err.error, error_description: err.message });
        else send(500, { error: 'server_error', error_description: 'Internal error' });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const decide = (handle: string, decision: 'approved' | 'rejected') => {
    const a = authorizations.get(handle);
    if (!a) throw new Error(`CSC test service: no pending authorisation ${handle}`);
    if (stateOf(a) !== 'pending') throw new Error(`CSC test service: authorisation ${handle} is already ${stateOf(a)}`);
    a.decided = decision;
  };

  return {
    url,
    calls,
    tokenFor: (userId) => {
      if (!users.has(userId)) throw new Error(`CSC test service: unknown user ${userId}`);
      return issueToken(userId);
    },
    setApproval(userId, approval) {
      const u = users.get(userId);
      if (!u) throw new Error(`CSC test service: unknown user ${userId}`);
      u.approval = approval;
    },
    pending: () => [...authorizations.values()].filter(waitsForPerson).map(view),
    nextPending() {
      const now = [...authorizations.values()].find(waitsForPerson);
      return now ? Promise.resolve(view(now)) : new Promise((resolve) => waiters.push(resolve));
    },
    approve: (handle) => decide(handle, 'approved'),
    reject: (handle) => decide(handle, 'rejected'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
