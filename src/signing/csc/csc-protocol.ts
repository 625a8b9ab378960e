/**
 * The subset of the Cloud Signature Consortium API v2 (2.0.0.2) that hocba speaks, shared by
 * the client (csc-signer.ts) and the conformant test service (csc-test-service.ts). Field
 * names follow the specification exactly; see docs/signing-adapters.md for the list.
 */

export const CSC_SPECS_VERSION = '2.0.0.2';
export const CSC_PREFIX = '/csc/v2';

/** Error body of every CSC method (OAuth 2.0 style). */
export interface CscErrorBody {
  error: string;
  error_description?: string;
}

/**
 * Error codes beyond CSC's generic `invalid_request` that the async authorisation path
 * uses: the user declined on the phone, or the approval window closed. Real services
 * vary here, so the client also recognises the wording of error_description.
 */
export const CSC_ERROR_REJECTED = 'access_denied';
export const CSC_ERROR_EXPIRED = 'expired_token';

export interface CscInfoResponse {
  specs: string;
  name: string;
  logo: string;
  region: string;
  lang: string;
  description: string;
  authType: string[];
  oauth2?: string;
  methods: string[];
}

export interface CscCredentialsListRequest {
  userID?: string;
  credentialInfo?: boolean;
  certificates?: 'none' | 'single' | 'chain';
  certInfo?: boolean;
  authInfo?: boolean;
  onlyValid?: boolean;
  lang?: string;
  clientData?: string;
}

export interface CscCredentialsListResponse {
  credentialIDs: string[];
  credentialInfos?: (CscCredentialInfoResponse & { credentialID: string })[];
  onlyValid?: boolean;
}

export interface CscCredentialInfoResponse {
  description?: string;
  key: { status: 'enabled' | 'disabled'; algo: string[]; len: number; curve?: string };
  cert?: {
    status?: 'valid' | 'expired' | 'revoked' | 'suspended';
    certificates?: string[]; // base64 DER, end entity first
    issuerDN?: string;
    serialNumber?: string;
    subjectDN?: string;
    validFrom?: string; // YYYYMMDDHHmmssZ
    validTo?: string;
  };
  auth?: {
    mode: 'implicit' | 'explicit' | 'oauth2code';
    expression?: string;
    objects?: { type: string; id: string; format?: string; label?: string; description?: string }[];
  };
  SCAL?: '1' | '2';
  multisign: number;
  lang?: string;
}

export interface CscAuthorizeRequest {
  credentialID: string;
  numSignatures: number;
  hashes?: string[];
  hashAlgorithmOID?: string;
  authData?: { id: string; value: string }[];
  description?: string;
  clientData?: string;
}

/** 200: the SAD. 202: authorisation under way, poll credentials/authorizeCheck with the handle. */
export type CscAuthorizeResponse = { SAD: string; expiresIn?: number } | { handle: string };

export interface CscSignHashRequest {
  credentialID: string;
  SAD: string;
  hashes: string[];
  hashAlgorithmOID?: string;
  signAlgo: string;
  signAlgoParams?: string;
  operationMode?: 'S' | 'A';
  clientData?: string;
}

export interface CscSignHashResponse {
  signatures: string[];
}

export interface CscTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
/** Strict base64 decoding: returns null for anything that is not canonical base64. */
export function fromB64(text: unknown): Uint8Array | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return new Uint8Array(Buffer.from(text, 'base64'));
}
