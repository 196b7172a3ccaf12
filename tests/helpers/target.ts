import { expect } from 'bun:test'
import { fromSource, type Running, removeDir, run, start, tempDir } from './server.ts'

type Schema = { $ref?: string; properties?: Record<string, unknown> }
export type Operation = {
  parameters?: { name: string; in: string; schema?: { enum?: unknown[]; pattern?: string } }[]
  requestBody?: { content: Record<string, { schema?: Schema }> }
}
type Document = {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Schema> }
}

/** A real server on a fresh data directory, with users made by the CLI and an admin API token. */
export interface Target {
  server: Running
  data: string
  /** An API token with the admin scope. */
  admin: string
  api(path: string, init?: RequestInit & { token?: string }): Promise<Response>
  postJson(path: string, body: unknown, token?: string): Promise<Response>
  login(username: string, password: string): Promise<Response>
  /** Every operation of the server's own OpenAPI document, with the field names of its JSON body. */
  operations(): { method: string; path: string; op: Operation; bodyFields: string[] | null }[]
  close(): Promise<void>
}

export async function startTarget(users: { name: string; admin?: boolean }[]): Promise<Target> {
  const data = tempDir()
  const music = tempDir()
  const server = await start(fromSource, ['--data', data, '--music', music])
  for (const u of users) {
    const flags = u.admin ? ['--admin'] : []
    const r = await run(fromSource, ['user', 'add', u.name, ...flags, '--password-stdin', '--data', data], {
      input: `${u.name}-password\n`,
    })
    expect(r.stderr).toBe('')
  }
  const api: Target['api'] = (path, init = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
    })
  const postJson: Target['postJson'] = (path, body, token) =>
    api(path, {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const login: Target['login'] = (username, password) => postJson('/api/auth/login', { username, password })

  // The server notices users added by another process within a second; wait for that.
  for (let i = 0; ; i++) {
    const setup = (await (await api('/api/setup')).json()) as { needed: boolean }
    if (!setup.needed) break
    if (i > 50) throw new Error('the server never saw the users added by the CLI')
    await Bun.sleep(100)
  }
  const root = users.find((u) => u.admin)
  if (!root) throw new Error('a target needs an admin')
  const session = ((await (await login(root.name, `${root.name}-password`)).json()) as { token: string })
    .token
  const made = await postJson('/api/tokens', { name: 'security suite', scopes: ['admin'] }, session)
  const admin = ((await made.json()) as { secret: string }).secret
  const doc = (await (await api('/api/openapi.json')).json()) as Document
  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? doc.components?.schemas?.[schema.$ref.split('/').pop() as string] : schema

  return {
    server,
    data,
    admin,
    api,
    postJson,
    login,
    operations: () =>
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => {
          const body = op.requestBody
            ? resolve(op.requestBody.content['application/json']?.schema)
            : undefined
          return {
            method: method.toUpperCase(),
            path,
            op,
            bodyFields: body ? Object.keys(body.properties ?? {}) : null,
          }
        }),
      ),
    async close() {
      await server.stop()
      removeDir(data)
      removeDir(music)
    },
  }
}
