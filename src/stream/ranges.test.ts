import { describe, expect, it } from 'bun:test'
import { contentRange, decide } from './ranges.ts'

const file = { size: 1000, etag: '"abc-1"', lastModified: new Date('2026-01-02T03:04:05Z') }
const range = (value: string, extra = {}) => decide({ range: value, ...extra }, file)

describe('Range (RFC 9110 §14)', () => {
  it('answers single, open and suffix ranges with inclusive bounds clamped to the file', () => {
    expect(range('bytes=0-99')).toEqual({ status: 206, start: 0, end: 99 })
    expect(range('bytes=900-')).toEqual({ status: 206, start: 900, end: 999 })
    expect(range('bytes=990-5000')).toEqual({ status: 206, start: 990, end: 999 })
    expect(range('bytes=-500')).toEqual({ status: 206, start: 500, end: 999 })
    expect(range('bytes=-5000')).toEqual({ status: 206, start: 0, end: 999 })
    expect(range('bytes=999-999')).toEqual({ status: 206, start: 999, end: 999 })
    expect(range('BYTES= 5-9 ')).toEqual({ status: 206, start: 5, end: 9 })
  })

  it('is 416 past the end, for an empty suffix, and for any range of an empty file', () => {
    expect(range('bytes=1000-')).toMatchObject({
      status: 416,
      reason: expect.stringContaining('beyond the end'),
    })
    expect(range('bytes=1000-2000').status).toBe(416)
    expect(range('bytes=-0')).toMatchObject({ status: 416, reason: expect.stringContaining('no bytes') })
    expect(decide({ range: 'bytes=0-' }, { ...file, size: 0 }).status).toBe(416)
    expect(decide({ range: 'bytes=-10' }, { ...file, size: 0 }).status).toBe(416)
  })

  it('is 416 naming the fault for malformed bytes ranges', () => {
    for (const bad of [
      'bytes=abc',
      'bytes=5-2',
      'bytes=--5',
      'bytes=1-2-3',
      'bytes=',
      'bytes=0x10-',
      'garbage',
      '=0-1',
    ]) {
      const d = range(bad)
      expect({ bad, status: d.status }).toEqual({ bad, status: 416 })
      expect((d as { reason: string }).reason).toStartWith('malformed Range header')
    }
    expect((range('bytes=5-2') as { reason: string }).reason).toContain('last byte is before the first')
  })

  it('ignores units other than bytes, and answers several ranges with the whole file', () => {
    expect(range('items=0-5')).toEqual({ status: 200 })
    expect(range('bytes=0-1,5-6')).toEqual({ status: 200 })
    // Empty list elements are allowed by the list syntax and do not make a second range.
    expect(range('bytes=0-1, ,')).toEqual({ status: 206, start: 0, end: 1 })
  })

  it('honours If-Range only with the same strong ETag or the exact Last-Modified date', () => {
    expect(range('bytes=0-9', { ifRange: '"abc-1"' })).toEqual({ status: 206, start: 0, end: 9 })
    expect(range('bytes=0-9', { ifRange: '"other"' })).toEqual({ status: 200 })
    expect(range('bytes=0-9', { ifRange: 'W/"abc-1"' })).toEqual({ status: 200 })
    expect(range('bytes=0-9', { ifRange: file.lastModified.toUTCString() })).toEqual({
      status: 206,
      start: 0,
      end: 9,
    })
    expect(range('bytes=0-9', { ifRange: 'Fri, 02 Jan 2026 03:04:06 GMT' })).toEqual({ status: 200 })
    expect(range('bytes=0-9', { ifRange: 'not a date' })).toEqual({ status: 200 })
    // A failed If-Range makes the answer the whole file even when the range is unsatisfiable.
    expect(range('bytes=5000-', { ifRange: '"other"' })).toEqual({ status: 200 })
  })
})

describe('conditional requests (RFC 9110 §13)', () => {
  it('is 304 when If-None-Match names the ETag (weakly) or is *, whatever the Range', () => {
    expect(decide({ ifNoneMatch: '"abc-1"' }, file)).toEqual({ status: 304 })
    expect(decide({ ifNoneMatch: '"x", W/"abc-1"' }, file)).toEqual({ status: 304 })
    expect(decide({ ifNoneMatch: '*' }, file)).toEqual({ status: 304 })
    expect(decide({ ifNoneMatch: '"x"', range: 'bytes=0-1' }, file)).toEqual({
      status: 206,
      start: 0,
      end: 1,
    })
    expect(decide({ ifNoneMatch: '"abc-1"', range: 'bytes=0-1' }, file)).toEqual({ status: 304 })
  })

  it('uses If-Modified-Since only without If-None-Match', () => {
    expect(decide({ ifModifiedSince: file.lastModified.toUTCString() }, file)).toEqual({ status: 304 })
    expect(decide({ ifModifiedSince: 'Fri, 02 Jan 2026 03:04:04 GMT' }, file)).toEqual({ status: 200 })
    expect(decide({ ifModifiedSince: 'nonsense' }, file)).toEqual({ status: 200 })
    expect(decide({ ifNoneMatch: '"x"', ifModifiedSince: file.lastModified.toUTCString() }, file)).toEqual({
      status: 200,
    })
  })

  it('writes Content-Range for 206 and 416', () => {
    expect(contentRange(1000, { start: 0, end: 99 })).toBe('bytes 0-99/1000')
    expect(contentRange(1000)).toBe('bytes */1000')
  })
})
