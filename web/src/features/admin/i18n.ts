// The admin console's strings, merged under `admin.`.
const en = {
  title: 'Admin console',
  open: 'Admin console',
  menu: 'Sections',
  nothing: 'Nothing here for your permissions.',
  nav: { dashboard: 'Dashboard', users: 'Users', departments: 'Departments', roles: 'Roles', invitations: 'Invitations', groups: 'Groups', settings: 'Organization' },
  roles: { owner: 'Owner', admin: 'Administrator', auditor: 'Auditor', member: 'Member', guest: 'Guest' },
  users: {
    search: 'Name, username, e-mail, phone, employee no.', anyRole: 'Any role', all: 'All', active: 'Active', disabled: 'Disabled',
    create: 'New user', name: 'Name', username: 'Username', email: 'E-mail', role: 'Role', status: 'Status', title: 'Job title',
    none: 'No users match.', account: 'Account', rolesTab: 'Roles', orgTab: 'Departments', saved: '{name} saved',
  },
  import: {
    open: 'Import CSV', title: 'Import users from CSV', choose: 'Choose a CSV file…', template: 'Download a template',
    hint: 'Columns: username, display_name, email, phone, title, employee_no, department (e.g. 研发部/后端组), role. UTF-8 or GBK. The file is checked first; nothing is created while any row has an error.',
    ok: '{total} rows ready to import', errors: '{n} of {total} rows have errors', encoding: 'Read as {enc}',
    line: 'Line', problems: 'Check', apply: 'Create {n} accounts', done: '{n} accounts created',
    created: '{n} accounts were created. Each must choose a new password at first sign-in.',
    onceWarning: 'The one-time passwords are shown only now: download them before closing.',
    download: 'Download passwords (CSV)', refused: 'Not imported: {detail}',
    codes: {
      missing_value: '{field} is missing', invalid_value: '{field} is not valid', duplicate_in_file: '{field} repeats another row',
      username_taken: 'username already exists', email_taken: 'e-mail already in use', unknown_role: 'unknown role',
      role_not_allowed: 'you may not give this role', unknown_department: 'unknown department',
      missing_columns: 'too few columns', extra_columns: 'too many columns',
    },
  },
  groups: {
    search: 'Search groups', name: 'Group', owner: 'Owner', members: 'Members', created: 'Created', lastActivity: 'Last activity',
    actions: 'Actions', changeOwner: 'Change owner', archive: 'Archive', restore: 'Restore', archived: 'Archived',
    archivedDone: '{name} archived: read-only now', restored: '{name} restored', ownerHint: 'The new owner of “{name}” must be a member of it.',
    pickOwner: 'Search people',
  },
  settings: {
    access: 'Sign-up and limits', registration: 'Anyone may create an account', registrationHint: 'Off: only administrators create accounts.',
    maxUpload: 'Largest upload (MB)', defaultIs: 'Server default: {value} MB', reset: 'Reset to server defaults', saved: 'Settings saved',
  },
  dash: {
    activeUsers: 'Active users', disabledGuests: '{disabled} disabled · {guests} guests', online: 'Online now', today: 'Messages today',
    storage: 'Storage used', files: '{n} files', perDay: 'Messages per day (30 days)', health: 'Node health', database: 'Database',
    broker: 'Broker', ok: 'reachable', down: 'unreachable',
  },
}

const zhCN: typeof en = {
  title: '管理后台',
  open: '管理后台',
  menu: '栏目',
  nothing: '你的权限下没有可管理的内容。',
  nav: { dashboard: '概览', users: '用户', departments: '部门', roles: '角色', invitations: '邀请', groups: '群组', settings: '组织设置' },
  roles: { owner: '所有者', admin: '管理员', auditor: '审计员', member: '成员', guest: '访客' },
  users: {
    search: '姓名、用户名、邮箱、手机、工号', anyRole: '全部角色', all: '全部', active: '正常', disabled: '已停用',
    create: '新建用户', name: '姓名', username: '用户名', email: '邮箱', role: '角色', status: '状态', title: '职务',
    none: '没有符合条件的用户。', account: '账号', rolesTab: '角色', orgTab: '部门', saved: '已保存 {name}',
  },
  import: {
    open: '导入 CSV', title: '从 CSV 批量导入用户', choose: '选择 CSV 文件…', template: '下载模板',
    hint: '列：username、display_name、email、phone、title、employee_no、department（如 研发部/后端组）、role。支持 UTF-8 或 GBK。文件会先检查；只要有一行出错，就不会创建任何账号。',
    ok: '{total} 行可以导入', errors: '{total} 行中有 {n} 行出错', encoding: '按 {enc} 读取',
    line: '行', problems: '检查', apply: '创建 {n} 个账号', done: '已创建 {n} 个账号',
    created: '已创建 {n} 个账号，每个人首次登录时须设置新密码。',
    onceWarning: '一次性密码只显示这一次：关闭前请先下载。',
    download: '下载密码（CSV）', refused: '未导入：{detail}',
    codes: {
      missing_value: '缺少 {field}', invalid_value: '{field} 无效', duplicate_in_file: '{field} 与其他行重复',
      username_taken: '用户名已存在', email_taken: '邮箱已被使用', unknown_role: '未知角色',
      role_not_allowed: '你不能授予此角色', unknown_department: '未知部门',
      missing_columns: '列数不足', extra_columns: '列数过多',
    },
  },
  groups: {
    search: '搜索群组', name: '群组', owner: '群主', members: '人数', created: '创建时间', lastActivity: '最近活跃',
    actions: '操作', changeOwner: '更换群主', archive: '归档', restore: '恢复', archived: '已归档',
    archivedDone: '已归档 {name}：现在只读', restored: '已恢复 {name}', ownerHint: '“{name}”的新群主必须是群成员。',
    pickOwner: '搜索人员',
  },
  settings: {
    access: '注册与限制', registration: '允许任何人自行注册', registrationHint: '关闭：只有管理员能创建账号。',
    maxUpload: '单个文件上限（MB）', defaultIs: '服务器默认：{value} MB', reset: '恢复服务器默认值', saved: '设置已保存',
  },
  dash: {
    activeUsers: '正常用户', disabledGuests: '停用 {disabled} · 访客 {guests}', online: '当前在线', today: '今日消息',
    storage: '已用存储', files: '{n} 个文件', perDay: '每日消息（近 30 天）', health: '节点健康', database: '数据库',
    broker: '消息总线', ok: '正常', down: '不可达',
  },
}

export default { en: { admin: en }, 'zh-CN': { admin: zhCN } }
