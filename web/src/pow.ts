// The proof of work asked of a registration (docs/decisions/0005-bulk-registration.md): find a
// nonce (decimal digits) such that BLAKE2b-256(salt || nonce), over the salt's hex text followed by
// the nonce's digits, starts with `bits` zero bits. The server checks it with libsodium; here
// blakejs computes the same hash. The search runs in slices of a few milliseconds, yielding to the
// browser between them, so the page stays responsive (and a screen reader hears the status).
import { blake2b } from "blakejs";
import { api } from "./api";

export interface Challenge { challenge: string; salt: string; bits: number; algorithm: string; expires_at: string }
export interface Proof { pow_challenge: string; pow_nonce: string }

function leadingZeroBits(h: Uint8Array): number {
  let bits = 0;
  for (const x of h) {
    if (x === 0) { bits += 8; continue; }
    return bits + Math.clz32(x) - 24;
  }
  return bits;
}

// The smallest nonce that solves `salt` at `bits`, searched in slices of about 30 ms.
export async function solve(salt: string, bits: number): Promise<string> {
  const enc = new TextEncoder();
  for (let n = 0; ; ) {
    const until = performance.now() + 30;
    do {
      if (leadingZeroBits(blake2b(enc.encode(salt + n), undefined, 32)) >= bits) return String(n);
      n++;
    } while (n % 256 !== 0 || performance.now() < until);
    await new Promise((ok) => setTimeout(ok, 0));
  }
}

// A fresh challenge from the server, solved; nothing when the server asks no proof.
export async function registrationProof(): Promise<Proof | Record<string, never>> {
  const ch = await api.get<Challenge>("/auth/register/challenge");
  if (!ch.bits) return {};
  return { pow_challenge: ch.challenge, pow_nonce: await solve(ch.salt, ch.bits) };
}
