import { and, desc, eq, isNull } from 'drizzle-orm'
import { audioLoudness } from '../../db/schema/audio.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Source } from '../source.ts'
import type { Loudness } from './loudness.ts'

/**
 * Measurements per file version (fingerprint): a changed file is measured again. A source the
 * catalog describes also finds a measurement of the same audio under another version (retagged,
 * moved): loudness depends on the samples alone.
 */
export function createLoudnessStore(db: Db) {
  const columns = {
    integratedLufs: audioLoudness.integratedLufs,
    rangeLu: audioLoudness.rangeLu,
    truePeakDbtp: audioLoudness.truePeakDbtp,
  }
  return {
    read(fingerprint: string, contentId?: string): Loudness | undefined {
      return (
        db.select(columns).from(audioLoudness).where(eq(audioLoudness.fingerprint, fingerprint)).get() ??
        (contentId === undefined
          ? undefined
          : db
              .select(columns)
              .from(audioLoudness)
              .where(eq(audioLoudness.contentId, contentId))
              .orderBy(desc(audioLoudness.measuredAt))
              .get())
      )
    },
    /** A measurement made without the catalog's content id (a stream, a path) gets it once known. */
    attach(fingerprint: string, contentId: string): void {
      db.update(audioLoudness)
        .set({ contentId })
        .where(and(eq(audioLoudness.fingerprint, fingerprint), isNull(audioLoudness.contentId)))
        .run()
    },
    write(fingerprint: string, source: Source, measured: Loudness): void {
      const row = {
        fingerprint,
        sourceId: source.id,
        contentId: source.contentId ?? null,
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
