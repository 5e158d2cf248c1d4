// Naming a signed-in device from its User-Agent for the sessions list ("Safari · iPhone",
// "微信 · Android"). Pure, covered by userAgent.test.ts. A User-Agent is all the server
// keeps; iPadOS 13+ Safari presents itself as a Mac, so such an iPad reads as macOS.

/** In-app browsers named in the reader's language (i18n `devices.<key>`). */
export type AppKey = 'wechat' | 'wecom' | 'dingtalk' | 'feishu' | 'qq'

export interface DeviceName {
  app: AppKey | null
  browser: string | null
  platform: string | null
}

// Order matters: WeCom's UA also says MicroMessenger, Edge's says Chrome, and every
// Chromium one says Safari.
const APPS: [RegExp, AppKey][] = [
  [/\bwxwork\//i, 'wecom'],
  [/\bMicroMessenger\//i, 'wechat'],
  [/\bDingTalk\b/i, 'dingtalk'],
  [/\b(Feishu|Lark)\//i, 'feishu'],
  [/\bQQ\/\d/i, 'qq'],
]
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|OPT)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bHuaweiBrowser\//, 'Huawei Browser'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(CriOS|Chrome|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
]
const PLATFORMS: [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\b(HarmonyOS|OpenHarmony)\b/, 'HarmonyOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

function first<T>(ua: string, table: [RegExp, T][]): T | null {
  return table.find(([re]) => re.test(ua))?.[1] ?? null
}

export function parseUserAgent(ua: string): DeviceName {
  return { app: first(ua, APPS), browser: first(ua, BROWSERS), platform: first(ua, PLATFORMS) }
}

/** "client · platform", the in-app browser's name in `appName`'s language. */
export function describeUserAgent(ua: string, appName: (key: AppKey) => string): string {
  const { app, browser, platform } = parseUserAgent(ua)
  return [app ? appName(app) : browser, platform].filter(Boolean).join(' · ')
}
