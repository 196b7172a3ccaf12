import { basename, dirname } from 'node:path'
import { loadOrCreateKey } from '../../lib/keys.ts'
import { createSecretBox, type SecretBox } from '../../lib/secret-box.ts'

// Scrobbling tokens are someone else's credentials: they are sealed (AES-256-GCM, bound to their
// row) under a key of their own in <data>/keys, so a copied database alone (a backup, a bug
// report) does not give them away. The key is created on first use.

export interface Sealer {
  /** `context` (user and service) is authenticated too, so a sealed value cannot be moved to another row. */
  seal(plain: string, context: string): string
  /** Throws when the value was tampered with, moved to another row, or sealed under another key. */
  open(sealed: string, context: string): string
}

/** `keyFile` is `<data>/keys/<name>.key`, the layout of src/lib/keys.ts. */
export function createSealer(keyFile: string): Sealer {
  let box: SecretBox | undefined
  const b = () => {
    box ??= createSecretBox(loadOrCreateKey(dirname(dirname(keyFile)), basename(keyFile, '.key')))
    return box
  }
  return {
    seal: (plain, context) => b().seal(plain, context),
    open(sealed, context) {
      const plain = b().open(sealed, context)
      if (plain === null) throw new Error('a sealed scrobbling secret did not open (wrong row or key)')
      return plain
    },
  }
}
