import { useEffect, useState } from 'preact/hooks'
import { api } from './api.ts'
import type { Page } from './types.ts'

/** A cursor-paginated list that grows with "more" (the API's cursors, 60 at a time). */
export function usePaged<T>(path: string) {
  const [items, setItems] = useState<T[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)

  const fetchPage = async (from: string | null, reset: boolean) => {
    setLoading(true)
    try {
      const sep = path.includes('?') ? '&' : '?'
      const page = await api<Page<T>>(
        `${path}${sep}limit=60${from ? `&cursor=${encodeURIComponent(from)}` : ''}`,
      )
      setItems((xs) => (reset ? page.items : [...xs, ...page.items]))
      setCursor(page.nextCursor)
      setDone(page.nextCursor === null)
      setError(null)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    setItems([])
    setDone(false)
    void fetchPage(null, true)
  }, [path])
  return { items, done, error, loading, more: () => void fetchPage(cursor, false) }
}
