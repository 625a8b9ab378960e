/**
 * prepare → sign → complete in one call, for keys the server can reach directly (a software
 * seal, a PKCS#11 token). Remote and agent signers use the three steps separately.
 */
import { SigningError, type SignatureAlgorithm, type Signer, type TimestampProvider } from '../signer.ts';
import { SIGNATURE_METHOD_URI } from './constants.ts';
import { completeXadesSignature } from './complete.ts';
import { prepareXadesSignature, type PrepareXadesOptions } from './prepare.ts';

export interface SignXadesOptions extends Omit<PrepareXadesOptions, 'chain' | 'algorithm' | 'signingTime'> {
  signer: Signer;
  /** Defaults to the signer's chain. */
  chain?: Uint8Array[];
  /** Defaults to the signer's best algorithm this engine supports. */
  algorithm?: SignatureAlgorithm;
  /** Defaults to now. */
  signingTime?: Date;
  /** Makes the signature XAdES-T. */
  timestamp?: TimestampProvider;
  /** Shown to the person approving, when the signer shows anything. */
  label?: string;
  signal?: AbortSignal;
}

/** Signs `xml` with `signer` and returns the signed document (verified before it is returned). */
export async function signXades(opts: SignXadesOptions): Promise<string> {
  const { signer, timestamp, label, signal, ...rest } = opts;
  const chain = opts.chain ?? (await signer.certificateChain());
  let algorithm = opts.algorithm;
  if (!algorithm) {
    algorithm = (await signer.algorithms()).find((a) => Object.hasOwn(SIGNATURE_METHOD_URI, a));
    if (!algorithm) throw new SigningError('unsupported_algorithm', `${signer.description}: offers no algorithm XAdES supports`);
  }
  const prepared = prepareXadesSignature({ ...rest, chain, algorithm, signingTime: opts.signingTime ?? new Date() });
  const [value] = await signer.signDigests({ algorithm, items: [{ digest: prepared.digest, label }], signal });
  if (!value) throw new SigningError('signer_unavailable', `${signer.description}: returned no signature value`);
  return completeXadesSignature(prepared.state, value, { timestamp });
}
