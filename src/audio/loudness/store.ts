import { eq } from 'drizzle-orm'
import { audioLoudness } from '../../db/schema/audio.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Loudness } from './loudness.ts'

/** Measurements per file version (fingerprint): a changed file is measured again. */
export function createLoudnessStore(db: Db) {
  return {
    read(fingerprint: string): Loudness | undefined {
      const row = db.select().from(audioLoudness).where(eq(audioLoudness.fingerprint, fingerprint)).get()
      return (
        row && { integratedLufs: row.integratedLufs, rangeLu: row.rangeLu, truePeakDbtp: row.truePeakDbtp }
      )
    },
    write(fingerprint: string, sourceId: string, measured: Loudness): void {
      const row = {
        fingerprint,
        sourceId,
        // SQLite has no −inf; silence is stored at the meter's floor.
        integratedLufs: Math.max(-70, measured.integratedLufs),
        rangeLu: measured.rangeLu,
        truePeakDbtp: Math.max(-200, measured.truePeakDbtp),
      }
      db.insert(audioLoudness)
        .values(row)
        .onConflictDoUpdate({ target: audioLoudness.fingerprint, set: row })
        .run()
    },
  }
}
