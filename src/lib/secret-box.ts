import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

export interface SecretBox {
  /** `context` is bound into the ciphertext, so a value copied to another row will not open. */
  seal(plain: string, context: string): string
  /** Null when the value was tampered with, sealed for another context, or under another key. */
  open(sealed: string, context: string): string | null
}

// AES-256-GCM: authenticated, so tampering is detected rather than decrypted into garbage.
// A fresh 96-bit IV per value; the format is versioned so the scheme can change later.
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('a secret box needs a 32-byte key')
  return {
    seal(plain, context) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.')
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.')
      if (version !== 'v1' || !iv || !tag || body === undefined) return null
      const authTag = Buffer.from(tag, 'base64url')
      // GCM accepts short tags unless told otherwise; a truncated tag would weaken the check.
      if (authTag.length !== 16) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
          authTagLength: 16,
        })
        decipher.setAAD(Buffer.from(context))
        decipher.setAuthTag(authTag)
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        )
      } catch {
        return null
      }
    },
  }
}
