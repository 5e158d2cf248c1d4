// Field error messages by code (see fieldErrors.ts), merged under `fieldErrors.`.
// `byField` holds wordings one field needs (the username's format, which a generic
// "invalid format" would not explain).
const en = {
  required: 'Required',
  too_short: 'At least {min} characters',
  too_long: 'At most {max} characters',
  invalid_format: 'Not in the expected format',
  invalid_email: 'Not a valid e-mail address',
  invalid_choice: 'Pick one of the options',
  unknown_field: 'Not accepted here',
  too_small: 'Must be at least {min}',
  too_large: 'Must be at most {max}',
  invalid_type: 'Not a valid value',
  invalid: 'Not valid',
  common: 'This is one of the most used passwords: choose another',
  too_guessable: 'Too easy to guess: try a few unrelated words, not your name',
  password_reused: 'You used this password recently: choose a new one',
  user_exists: 'This username or e-mail is already taken',
  wrong_password: 'The current password is wrong',
  password_unchanged: 'Choose a password different from the current one',
  mismatch: 'The two passwords differ',
  byField: {
    username: { invalid_format: 'Letters, digits, “.”, “_” and “-” only, starting with a letter or digit' },
  },
}

const zhCN: typeof en = {
  required: '请填写此项',
  too_short: '至少 {min} 个字符',
  too_long: '最多 {max} 个字符',
  invalid_format: '格式不正确',
  invalid_email: '请输入有效的邮箱地址',
  invalid_choice: '请从选项中选择',
  unknown_field: '不支持此项',
  too_small: '不能小于 {min}',
  too_large: '不能大于 {max}',
  invalid_type: '值无效',
  invalid: '无效',
  common: '这是最常用的密码之一，请换一个',
  too_guessable: '密码太容易被猜到：可用几个不相关的词组合，不要用自己的名字',
  password_reused: '最近用过这个密码，请换一个新的',
  user_exists: '该用户名或邮箱已被使用',
  wrong_password: '当前密码不正确',
  password_unchanged: '新密码不能与当前密码相同',
  mismatch: '两次输入的密码不一致',
  byField: {
    username: { invalid_format: '只能使用字母、数字、“.”、“_”和“-”，并以字母或数字开头' },
  },
}

export default { en: { fieldErrors: en }, 'zh-CN': { fieldErrors: zhCN } }
