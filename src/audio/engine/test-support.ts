// Shared by the engine tests (not shipped code).

// Bun's expect(promise).rejects blocks the event loop while it waits, so a worker thread's
// reply never arrives; wait for the rejection first, then assert on it.
export const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => new Error('expected the promise to reject'),
    (error: unknown) => error,
  )

export const ascii = (bytes: Uint8Array | undefined, length = 4) =>
  new TextDecoder().decode(bytes?.subarray(0, length))

export const sineToFlac = (name: string, frequency = 440) => ({
  args: ['-f', 'lavfi', '-i', `sine=frequency=${frequency}:duration=1`, '-ar', '44100', name],
  outputs: [name],
})
