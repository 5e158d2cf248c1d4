// The phone layout's and the offline cache's strings, merged into the app's messages under
// `mobile.` (kept beside the feature, like features/files/i18n.ts).
const en = {
  tabs: { chats: 'Chats', contacts: 'Contacts', me: 'Me' },
  back: 'Back',
  backToChats: 'Back to chats',
  me: {
    install: 'Install app',
    installHint: 'Add {org} to your home screen',
  },
  offline: {
    notice: 'Offline — showing saved chats; you can read but not send.',
    readOnly: 'Offline: messages can be sent again once the server is reachable.',
    notSaved: 'This chat was not saved on this device.',
  },
}

const zhCN: typeof en = {
  tabs: { chats: '消息', contacts: '通讯录', me: '我' },
  back: '返回',
  backToChats: '返回消息列表',
  me: {
    install: '安装应用',
    installHint: '将 {org} 添加到主屏幕',
  },
  offline: {
    notice: '离线 — 正在显示本机保存的会话，只能查看，不能发送。',
    readOnly: '离线：服务器恢复连接后才能发送消息。',
    notSaved: '这个会话没有保存在本机。',
  },
}

export default { en: { mobile: en }, 'zh-CN': { mobile: zhCN } }
