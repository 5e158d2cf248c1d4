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
  too_simple: 'Too easy to guess: use at least 4 different characters, not only digits',
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
  too_simple: '密码太容易被猜到：至少包含 4 种不同字符，且不能全是数字',
  user_exists: '该用户名或邮箱已被使用',
  wrong_password: '当前密码不正确',
  password_unchanged: '新密码不能与当前密码相同',
  mismatch: '两次输入的密码不一致',
  byField: {
    username: { invalid_format: '只能使用字母、数字、“.”、“_”和“-”，并以字母或数字开头' },
  },
}

export default { en: { fieldErrors: en }, 'zh-CN': { fieldErrors: zhCN } }
