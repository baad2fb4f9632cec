// An authenticator app: RFC 6238 codes (HMAC-SHA1, 30 s steps, 6 digits)
// from a base32 secret, as AssociateSoftwareToken returns it.
import { createHmac } from 'node:crypto'

function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0, value = 0
  const out = []
  for (const c of s.toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c)
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function totp(secret, step) {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(step))
  const sum = createHmac('sha1', base32(secret)).update(msg).digest()
  const o = sum[19] & 15
  return String((sum.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0')
}
