// The REST half of Parley's contract (docs/api.md). Same origin: the HttpOnly cookie the server
// sets at sign-in authenticates; the token kept in memory goes along as a bearer when we have it.

export interface SignedIn { userId: string; token: string; username: string; displayName: string }
export interface Me { userId: string; username: string; displayName: string; statusMessage: string; publicPresence: boolean; status: string; isAdmin: boolean }
export interface UserSummary { userId: string; username: string; displayName: string; statusMessage?: string; status?: string; lastSeen?: number; category?: string }
export interface Category { id: string; name: string; position: number }
export interface FriendRequest { id: string; from: string; to: string; note: string; ts: number; fromUser?: UserSummary; toUser?: UserSummary }
export interface Group { id: string; name: string; ownerId: string; createdAt: number }
export interface Member { userId: string; username: string; displayName: string; role: string; status: string }
export interface GroupDetail extends Group { members: Member[] }
export interface Invitation { group: string; name: string; invitedBy: string; ts: number }
export interface FileDetails { name: string; size: number; contentType: string }
export interface ChatMessage { conv: string; seq: number; id: string; from: string; body: string; kind: string; ts: number; clientMsgId?: string; fileId?: string; recalled?: boolean; file?: FileDetails }
export interface Conversation { conv: string; kind: 'direct' | 'group'; peer?: string; group?: string; title?: string; lastSeq: number; readSeq: number; peerReadSeq?: number; unread: number; lastMessage?: ChatMessage }
export interface UploadedFile { fileId: string; name: string; size: number; contentType: string }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let token: string | null = null;

export function setToken(value: string | null): void {
  token = value;
}

function headers(json: boolean): Record<string, string> {
  const result: Record<string, string> = { Accept: 'application/json' };
  if (json) result['Content-Type'] = 'application/json';
  if (token) result.Authorization = `Bearer ${token}`;
  return result;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problem(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function problem(response: Response): Promise<ApiError> {
  try {
    const p = await response.json();
    return new ApiError(response.status, p.code ?? String(response.status), p.detail ?? p.title ?? response.statusText);
  } catch {
    return new ApiError(response.status, String(response.status), response.statusText);
  }
}

export const api = {
  register: (username: string, password: string, displayName?: string) =>
    request<SignedIn>('POST', '/api/auth/register', { username, password, displayName: displayName || undefined }),
  login: (username: string, password: string) => request<SignedIn>('POST', '/api/auth/login', { username, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<Me>('GET', '/api/me'),
  updateMe: (patch: { displayName?: string; statusMessage?: string; publicPresence?: boolean }) => request<Me>('PATCH', '/api/me', patch),
  searchUsers: (query: string) => request<{ users: UserSummary[] }>('GET', `/api/users?query=${encodeURIComponent(query)}`),
  user: (userId: string) => request<UserSummary>('GET', `/api/users/${encodeURIComponent(userId)}`),
  friends: () => request<{ friends: UserSummary[]; categories: Category[] }>('GET', '/api/friends'),
  friendRequests: () => request<{ incoming: FriendRequest[]; outgoing: FriendRequest[] }>('GET', '/api/friends/requests'),
  requestFriend: (to: string, note?: string) => request<{ id: string; status?: string }>('POST', '/api/friends/requests', { to, note: note || undefined }),
  answerRequest: (id: string, answer: 'accept' | 'decline' | 'cancel') => request<void>('POST', `/api/friends/requests/${encodeURIComponent(id)}/${answer}`),
  removeFriend: (userId: string) => request<void>('DELETE', `/api/friends/${encodeURIComponent(userId)}`),
  moveFriend: (userId: string, categoryId: string | null) => request<void>('PUT', `/api/friends/${encodeURIComponent(userId)}/category`, { categoryId }),
  createCategory: (name: string) => request<{ id: string }>('POST', '/api/friends/categories', { name }),
  renameCategory: (id: string, name: string) => request<void>('PATCH', `/api/friends/categories/${encodeURIComponent(id)}`, { name }),
  deleteCategory: (id: string) => request<void>('DELETE', `/api/friends/categories/${encodeURIComponent(id)}`),
  blocks: () => request<{ blocked: string[] }>('GET', '/api/blocks'),
  block: (userId: string) => request<void>('PUT', `/api/blocks/${encodeURIComponent(userId)}`),
  unblock: (userId: string) => request<void>('DELETE', `/api/blocks/${encodeURIComponent(userId)}`),
  groups: () => request<{ groups: Group[] }>('GET', '/api/groups'),
  group: (id: string) => request<GroupDetail>('GET', `/api/groups/${encodeURIComponent(id)}`),
  createGroup: (name: string) => request<{ id: string }>('POST', '/api/groups', { name }),
  addMember: (groupId: string, userId: string) => request<void>('POST', `/api/groups/${encodeURIComponent(groupId)}/members`, { userId }),
  renameGroup: (groupId: string, name: string) => request<void>('PATCH', `/api/groups/${encodeURIComponent(groupId)}`, { name }),
  setRole: (groupId: string, userId: string, role: 'member' | 'admin' | 'owner') =>
    request<void>('PUT', `/api/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}/role`, { role }),
  removeMember: (groupId: string, userId: string) => request<void>('DELETE', `/api/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}`),
  leaveGroup: (groupId: string) => request<void>('POST', `/api/groups/${encodeURIComponent(groupId)}/leave`),
  invitations: () => request<{ invitations: Invitation[] }>('GET', '/api/groups/invitations'),
  answerInvitation: (groupId: string, answer: 'accept' | 'decline') => request<void>('POST', `/api/groups/${encodeURIComponent(groupId)}/invitations/${answer}`),
  conversations: () => request<{ conversations: Conversation[] }>('GET', '/api/conversations'),
  history: (conv: string, before?: number, limit = 30) =>
    request<{ messages: ChatMessage[] }>('GET', `/api/conversations/${encodeURIComponent(conv)}/messages?limit=${limit}${before ? `&before=${before}` : ''}`),
  fileInfo: (fileId: string) => request<UploadedFile>('GET', `/api/files/${encodeURIComponent(fileId)}/info`),
};

/** Uploads a file with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function upload(file: File, onProgress: (fraction: number) => void): { promise: Promise<UploadedFile>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadedFile>((resolve, reject) => {
    xhr.open('POST', '/api/files');
    xhr.withCredentials = true;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body as UploadedFile);
      else reject(new ApiError(xhr.status, body?.code ?? String(xhr.status), body?.detail ?? body?.title ?? xhr.statusText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

export function fileUrl(fileId: string): string {
  return `/api/files/${encodeURIComponent(fileId)}`;
}
