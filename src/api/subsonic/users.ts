import type { Actor, NewUser, User, UserPatch } from '../../accounts/index.ts'
import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { notAuthorized, notFound } from './errors.ts'
import { invalidParam, type Params } from './params.ts'

// User management through the accounts domain, which enforces who may do what (admins manage
// others; the last admin stays). Subsonic roles map onto Tonearm's grants: admin, download and
// share are real switches; streaming, playlists and settings are always allowed; the rest
// (jukebox, podcasts, upload, video…) do not exist here and read false.

const actorOf = (call: Call): Actor => ({ principal: call.principal, address: call.c.get('client')?.address })

function userNode(u: User, folderIds: number[]): Node {
  return {
    username: u.username,
    scrobblingEnabled: true,
    maxBitRate: u.maxBitrate,
    adminRole: u.role === 'admin',
    settingsRole: true,
    downloadRole: u.canDownload,
    uploadRole: false,
    playlistRole: true,
    coverArtRole: false,
    commentRole: false,
    podcastRole: false,
    streamRole: true,
    jukeboxRole: false,
    shareRole: u.canShare,
    videoConversionRole: false,
    folder: u.role === 'admin' || u.folders === 'all' ? folderIds : u.folders,
  }
}

function findUser(call: Call, name: string): User {
  const user = call.deps.accounts.users.findByName(name)
  // Others' accounts exist for admins only: to anyone else every other name is "not found".
  if (!user || (user.id !== call.principal.userId && call.principal.role !== 'admin'))
    throw notFound(`user ${name.slice(0, 64)}`)
  return user
}

const allFolders = (call: Call) => call.deps.listFolders().map((f) => f.id)

function getUser(call: Call): Node {
  const user = findUser(call, call.params.required('username'))
  return { user: userNode(call.deps.accounts.users.get(user.id, actorOf(call)), allFolders(call)) }
}

function getUsers(call: Call): Node {
  const folders = allFolders(call)
  return { users: { user: call.deps.accounts.users.list(actorOf(call)).map((u) => userNode(u, folders)) } }
}

/** The grants a create or update names; absent parameters leave things as they are. */
function grants(params: Params): Omit<UserPatch, 'password' | 'username'> {
  const out: Omit<UserPatch, 'password' | 'username'> = {}
  const admin = params.bool('adminRole')
  if (admin !== undefined) out.role = admin ? 'admin' : 'user'
  const download = params.bool('downloadRole')
  if (download !== undefined) out.canDownload = download
  const share = params.bool('shareRole')
  if (share !== undefined) out.canShare = share
  const bitrate = params.int('maxBitRate', { min: 0 })
  if (bitrate !== undefined) out.maxBitrate = bitrate
  const folders = params.all('musicFolderId')
  if (folders.some((f) => !/^[1-9][0-9]{0,9}$/.test(f)))
    throw invalidParam('musicFolderId', 'must be folder ids')
  if (folders.length > 0) out.folders = folders.map((f) => Number(f))
  return out
}

/** Subsonic sends passwords plain or as `enc:` hex, like `p`. */
function password(params: Params): string {
  const raw = params.required('password')
  return raw.startsWith('enc:') ? Buffer.from(raw.slice(4), 'hex').toString('utf8') : raw
}

async function createUser(call: Call): Promise<Node> {
  const input: NewUser = {
    username: call.params.required('username'),
    password: password(call.params),
    ...grants(call.params),
  }
  await call.deps.accounts.users.create(input, actorOf(call))
  return {}
}

async function updateUser(call: Call): Promise<Node> {
  const user = findUser(call, call.params.required('username'))
  const patch: UserPatch = grants(call.params)
  if (call.params.get('password')) patch.password = password(call.params)
  await call.deps.accounts.users.update(user.id, patch, actorOf(call))
  return {}
}

function deleteUser(call: Call): Node {
  const user = findUser(call, call.params.required('username'))
  call.deps.accounts.users.remove(user.id, actorOf(call))
  return {}
}

async function changePassword(call: Call): Promise<Node> {
  const user = findUser(call, call.params.required('username'))
  if (user.id === call.principal.userId)
    throw notAuthorized(
      'change your own password in Tonearm itself: it needs the current password, which a Subsonic app never has',
    )
  await call.deps.accounts.users.update(user.id, { password: password(call.params) }, actorOf(call))
  return {}
}

export const userRoutes: RouteTable = {
  getUser: { handler: getUser },
  getUsers: { handler: getUsers, admin: true },
  createUser: { handler: createUser, admin: true, write: true },
  updateUser: { handler: updateUser, admin: true, write: true },
  deleteUser: { handler: deleteUser, admin: true, write: true },
  changePassword: { handler: changePassword, write: true },
}
