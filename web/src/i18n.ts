// English and Simplified Chinese. The browser's language decides until the person picks one.

const en = {
  appName: 'Parley',
  tagline: 'Chat with your friends, in real time.',
  signIn: 'Sign in',
  register: 'Create account',
  haveAccount: 'Already have an account? Sign in',
  noAccount: 'New here? Create an account',
  username: 'Username',
  password: 'Password',
  displayName: 'Display name',
  usernameHint: '3–32 letters, digits, _ . -',
  passwordHint: 'At least 8 characters',
  signOut: 'Sign out',
  chats: 'Chats',
  contacts: 'Contacts',
  groups: 'Groups',
  settings: 'Settings',
  search: 'Search',
  searchPeople: 'Find people by name',
  addFriend: 'Add',
  requestSent: 'Request sent',
  alreadyFriends: 'Friend',
  incomingRequests: 'Friend requests',
  outgoingRequests: 'Waiting for an answer',
  accept: 'Accept',
  decline: 'Decline',
  cancel: 'Cancel',
  noFriends: 'No friends yet. Find people above and add them.',
  noChats: 'No conversations yet. Open a contact to start one.',
  noGroups: 'You are in no group yet.',
  friends: 'Friends',
  message: 'Message',
  typeMessage: 'Write a message',
  send: 'Send',
  attach: 'Attach a file',
  emoji: 'Emoji',
  back: 'Back',
  typing: '{name} is typing…',
  read: 'Read',
  sent: 'Sent',
  sending: 'Sending…',
  failed: 'Not sent — retrying when connected',
  recall: 'Recall',
  recalled: 'Message recalled',
  recalledBy: '{name} recalled a message',
  loadingOlder: 'Loading older messages…',
  beginning: 'This is the beginning of the conversation.',
  newGroup: 'New group',
  groupName: 'Group name',
  create: 'Create',
  members: 'Members',
  invite: 'Add members',
  leave: 'Leave group',
  leaveConfirm: 'Leave this group?',
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  close: 'Close',
  online: 'Online',
  away: 'Away',
  busy: 'Busy',
  invisible: 'Invisible',
  offline: 'Offline',
  status: 'Status',
  statusMessage: 'Status message',
  statusMessagePlaceholder: 'What are you up to?',
  save: 'Save',
  saved: 'Saved',
  language: 'Language',
  languageAuto: 'Follow the browser',
  publicBadge: 'Public presence badge',
  publicBadgeHelp: 'Lets anyone see whether you are online, e.g. on your home page.',
  embedSnippet: 'Paste this into a web page:',
  notifications: 'Desktop notifications',
  enableNotifications: 'Allow notifications',
  notificationsOn: 'Notifications are on.',
  notificationsBlocked: 'Notifications are blocked in this browser.',
  connected: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offlineBanner: 'You are offline. Messages will be sent when the connection is back.',
  reconnectingBanner: 'Connection lost. Reconnecting…',
  via: 'via {transport}',
  kickedTitle: 'Signed in elsewhere',
  kickedText: 'Your account was signed in from another window or device, so this one was disconnected.',
  signInHere: 'Sign in here',
  newMessage: 'New message',
  newMessages: '({n}) New messages',
  file: 'File',
  image: 'Image',
  uploading: 'Uploading {name}… {pct}%',
  uploadFailed: 'Upload failed: {error}',
  download: 'Download',
  you: 'You',
  today: 'Today',
  yesterday: 'Yesterday',
  errorGeneric: 'Something went wrong. Please try again.',
  note: 'Note (optional)',
  moveTo: 'Category',
  defaultCategory: 'Friends',
  newCategory: 'New category…',
  categoryName: 'Category name',
  systemMessage: 'Notice',
  friendRequestFrom: '{name} wants to be your friend',
  groupInvite: '{name} invited you to a group',
  profile: 'Profile',
  lastSeen: 'Last seen {time}',
  you_: '(you)',
  fileTooLarge: 'That file is too large.',
  members_n: '{n} members',
  chooseConversation: 'Pick a conversation, or open a contact to start one.',
  categories: 'Categories',
  manageCategories: 'Manage categories',
  noCategories: 'No categories yet. Friends without one are listed under “Friends”.',
  rename: 'Rename',
  delete: 'Delete',
  deleteCategoryConfirm: 'Delete the category “{name}”? Its friends stay your friends, listed under “{fallback}”.',
  move: 'Move',
  movedTo: 'Moved to {name}',
  friendActions: 'More about {name}',
  removeFriend: 'Remove friend',
  removeFriendConfirm: 'Remove {name} from your friends? You will not be able to message each other until you are friends again.',
  removedFriend: '{name} is no longer your friend',
  block: 'Block',
  unblock: 'Unblock',
  blockedTag: 'Blocked',
  blockedUsers: 'Blocked',
  blockedTitle: 'Blocked people',
  noBlocked: 'You have not blocked anyone.',
  blockHelp: 'Blocked people cannot message you, ask to be your friend or see when you are online, and you cannot message them. Blocking does not remove a friend.',
  blockedDone: '{name} is blocked',
  unblockedDone: '{name} is unblocked',
  confirm: 'Confirm',
  makeAdmin: 'Make admin',
  removeAdmin: 'Remove admin',
  makeOwner: 'Make owner',
  makeOwnerConfirm: 'Hand the group over to {name}? You will become an admin.',
  removeMember: 'Remove',
  removeMemberConfirm: 'Remove {name} from the group?',
  renameGroup: 'Rename the group',
  renamed: 'Renamed',
  roleChanged: '{name} is now {role}',
  sizeB: '{n} B',
  sizeKB: '{n} KB',
  sizeMB: '{n} MB',
  sizeGB: '{n} GB',
};

export type Key = keyof typeof en;

const zh: Record<Key, string> = {
  appName: 'Parley',
  tagline: '和朋友实时聊天。',
  signIn: '登录',
  register: '注册',
  haveAccount: '已有账号？登录',
  noAccount: '新用户？注册账号',
  username: '用户名',
  password: '密码',
  displayName: '昵称',
  usernameHint: '3–32 位字母、数字或 _ . -',
  passwordHint: '至少 8 个字符',
  signOut: '退出登录',
  chats: '消息',
  contacts: '联系人',
  groups: '群组',
  settings: '设置',
  search: '搜索',
  searchPeople: '按名字查找用户',
  addFriend: '添加',
  requestSent: '已发送请求',
  alreadyFriends: '好友',
  incomingRequests: '好友请求',
  outgoingRequests: '等待对方回应',
  accept: '接受',
  decline: '拒绝',
  cancel: '取消',
  noFriends: '还没有好友。在上方查找并添加吧。',
  noChats: '还没有会话。打开一个联系人开始聊天。',
  noGroups: '你还没有加入任何群组。',
  friends: '好友',
  message: '发消息',
  typeMessage: '输入消息',
  send: '发送',
  attach: '发送文件',
  emoji: '表情',
  back: '返回',
  typing: '{name} 正在输入…',
  read: '已读',
  sent: '已发送',
  sending: '发送中…',
  failed: '未发送——连接恢复后重试',
  recall: '撤回',
  recalled: '消息已撤回',
  recalledBy: '{name} 撤回了一条消息',
  loadingOlder: '正在加载更早的消息…',
  beginning: '会话从这里开始。',
  newGroup: '新建群组',
  groupName: '群名称',
  create: '创建',
  members: '成员',
  invite: '添加成员',
  leave: '退出群组',
  leaveConfirm: '确定退出这个群组吗？',
  owner: '群主',
  admin: '管理员',
  member: '成员',
  close: '关闭',
  online: '在线',
  away: '离开',
  busy: '忙碌',
  invisible: '隐身',
  offline: '离线',
  status: '状态',
  statusMessage: '个性签名',
  statusMessagePlaceholder: '你在做什么？',
  save: '保存',
  saved: '已保存',
  language: '语言',
  languageAuto: '跟随浏览器',
  publicBadge: '公开在线徽章',
  publicBadgeHelp: '任何人都能看到你是否在线，例如在你的个人主页上。',
  embedSnippet: '把这段代码粘贴到网页中：',
  notifications: '桌面通知',
  enableNotifications: '允许通知',
  notificationsOn: '通知已开启。',
  notificationsBlocked: '此浏览器已阻止通知。',
  connected: '已连接',
  connecting: '正在连接…',
  reconnecting: '正在重新连接…',
  offlineBanner: '你已离线。连接恢复后消息会自动发送。',
  reconnectingBanner: '连接已断开，正在重新连接…',
  via: '通过 {transport}',
  kickedTitle: '已在别处登录',
  kickedText: '你的账号在另一个窗口或设备上登录了，因此这里已断开连接。',
  signInHere: '在这里登录',
  newMessage: '新消息',
  newMessages: '（{n}）条新消息',
  file: '文件',
  image: '图片',
  uploading: '正在上传 {name}… {pct}%',
  uploadFailed: '上传失败：{error}',
  download: '下载',
  you: '我',
  today: '今天',
  yesterday: '昨天',
  errorGeneric: '出错了，请重试。',
  note: '附言（可选）',
  moveTo: '分组',
  defaultCategory: '我的好友',
  newCategory: '新建分组…',
  categoryName: '分组名称',
  systemMessage: '通知',
  friendRequestFrom: '{name} 想加你为好友',
  groupInvite: '{name} 邀请你加入群组',
  profile: '个人资料',
  lastSeen: '最后在线 {time}',
  you_: '（我）',
  fileTooLarge: '文件太大。',
  members_n: '{n} 位成员',
  chooseConversation: '选择一个会话，或打开联系人开始聊天。',
  categories: '分组',
  manageCategories: '管理分组',
  noCategories: '还没有分组。未分组的好友显示在“我的好友”下。',
  rename: '重命名',
  delete: '删除',
  deleteCategoryConfirm: '删除分组“{name}”？其中的好友仍是你的好友，会显示在“{fallback}”下。',
  move: '移动',
  movedTo: '已移到 {name}',
  friendActions: '{name} 的更多操作',
  removeFriend: '删除好友',
  removeFriendConfirm: '把 {name} 从好友中删除？再次成为好友之前，你们将无法互发消息。',
  removedFriend: '{name} 已不是你的好友',
  block: '拉黑',
  unblock: '移出黑名单',
  blockedTag: '已拉黑',
  blockedUsers: '黑名单',
  blockedTitle: '黑名单',
  noBlocked: '黑名单是空的。',
  blockHelp: '被拉黑的人不能给你发消息、加你为好友，也看不到你是否在线；你也不能给对方发消息。拉黑不会删除好友。',
  blockedDone: '已拉黑 {name}',
  unblockedDone: '已把 {name} 移出黑名单',
  confirm: '确定',
  makeAdmin: '设为管理员',
  removeAdmin: '取消管理员',
  makeOwner: '转让群主',
  makeOwnerConfirm: '把群主转让给 {name}？你将成为管理员。',
  removeMember: '移出',
  removeMemberConfirm: '把 {name} 移出群组？',
  renameGroup: '修改群名称',
  renamed: '已重命名',
  roleChanged: '{name} 现在是{role}',
  sizeB: '{n} B',
  sizeKB: '{n} KB',
  sizeMB: '{n} MB',
  sizeGB: '{n} GB',
};

export type Lang = 'en' | 'zh-CN';
const tables: Record<Lang, Record<Key, string>> = { en, 'zh-CN': zh };
const STORAGE_KEY = 'parley.lang';

function browserLang(): Lang {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

export function chosenLang(): Lang | 'auto' {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'auto';
}

let current: Lang = chosenLang() === 'auto' ? browserLang() : (chosenLang() as Lang);

export function lang(): Lang {
  return current;
}

export function setLang(choice: Lang | 'auto'): void {
  if (choice === 'auto') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, choice);
  current = choice === 'auto' ? browserLang() : choice;
  document.documentElement.lang = current;
}

document.documentElement.lang = current;

export function t(key: Key, vars?: Record<string, string | number>): string {
  let text = tables[current][key] ?? en[key];
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

export function formatTime(ts: number): string {
  const d = new Date(ts);
  const now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  if (sameDay) return d.toLocaleTimeString(current, { hour: '2-digit', minute: '2-digit' });
  const yesterday = new Date(now.getTime() - 86_400_000);
  if (d.toDateString() === yesterday.toDateString()) return t('yesterday');
  return d.toLocaleDateString(current, { month: 'short', day: 'numeric' });
}

export function formatClock(ts: number): string {
  return new Date(ts).toLocaleTimeString(current, { hour: '2-digit', minute: '2-digit' });
}

/** A file size for people: 12 B, 3.4 KB, 25 MB (powers of 1024, as file managers show them). */
export function formatSize(bytes: number): string {
  const units = ['sizeB', 'sizeKB', 'sizeMB', 'sizeGB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const n = new Intl.NumberFormat(current, { maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1 }).format(value);
  return t(units[unit], { n });
}
