// The profile feature's strings (pictures, the profile card's contact fields), merged into
// the app's messages under `profile.` (like features/files/i18n.ts).
const en = {
  picture: 'Profile picture',
  pictureHint: 'Shown to your colleagues wherever you appear. PNG, JPEG, WebP or GIF.',
  change: 'Change picture…',
  remove: 'Remove',
  cropTitle: 'Crop your picture',
  cropHint: 'Drag to move, use the slider to zoom.',
  zoom: 'Zoom',
  save: 'Use this picture',
  cancel: 'Cancel',
  saved: 'Picture updated',
  removed: 'Picture removed',
  errors: {
    notImage: 'Choose a PNG, JPEG, WebP or GIF image.',
    tooLarge: 'This image is too large.',
    failed: 'The picture could not be saved ({detail}).',
  },
  email: 'E-mail',
  phone: 'Phone',
  employeeNo: 'Employee no.',
  contactTitle: 'Profile card',
  contactHint: 'Contact fields your colleagues see on a profile card. Administrators and the person themselves always see them.',
}

const zhCN: typeof en = {
  picture: '头像',
  pictureHint: '同事在任何地方看到你时都会显示。支持 PNG、JPEG、WebP、GIF。',
  change: '更换头像…',
  remove: '移除',
  cropTitle: '裁剪头像',
  cropHint: '拖动调整位置，用滑块缩放。',
  zoom: '缩放',
  save: '使用此头像',
  cancel: '取消',
  saved: '头像已更新',
  removed: '头像已移除',
  errors: {
    notImage: '请选择 PNG、JPEG、WebP 或 GIF 图片。',
    tooLarge: '图片太大。',
    failed: '头像保存失败（{detail}）。',
  },
  email: '邮箱',
  phone: '手机',
  employeeNo: '工号',
  contactTitle: '个人名片',
  contactHint: '同事在个人名片上可以看到的联系方式。管理员和本人始终可见。',
}

export default { en: { profile: en }, 'zh-CN': { profile: zhCN } }
