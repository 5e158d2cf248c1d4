import { describe, expect, it } from 'vitest'
import { describeUserAgent } from './userAgent'

const zh = { wechat: '微信', wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书', qq: 'QQ' } as const
const name = (ua: string) => describeUserAgent(ua, (k) => zh[k])

const UA = {
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  ipadChrome:
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  macSafari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  harmony:
    'Mozilla/5.0 (Linux; Android 10; HarmonyOS; NOH-AN00; HMSCore 6.11.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.0.322 Mobile Safari/537.36',
  harmonyNext:
    'Mozilla/5.0 (Phone; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.3.300',
  wechatIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN',
  wecomWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36 wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat MailPlugin_Electron WeMail embeddisk',
  dingtalkAndroid:
    'Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2241A Build/TP1A.220624.014) AppleWebKit/533.1 (KHTML, like Gecko) Mobile Safari/533.1 AliApp(DingTalk/7.5.20) com.alibaba.android.rimet/36712384 Channel/700159 language/zh-CN',
  feishuMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.5615.165 Safari/537.36 Lark/7.20.5 LarkLocale/zh_CN ChannelName/Feishu',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
}

describe('device names in the sessions list', () => {
  it('names phones and tablets, not "Safari · macOS"', () => {
    expect(name(UA.iphoneSafari)).toBe('Safari · iPhone')
    expect(name(UA.ipadChrome)).toBe('Chrome · iPad')
    expect(name(UA.androidChrome)).toBe('Chrome · Android')
    expect(name(UA.harmony)).toBe('Huawei Browser · HarmonyOS')
    expect(name(UA.harmonyNext)).toBe('Huawei Browser · HarmonyOS')
  })

  it('names the in-app browsers of Chinese workplaces', () => {
    expect(name(UA.wechatIphone)).toBe('微信 · iPhone')
    expect(name(UA.wecomWindows)).toBe('企业微信 · Windows')
    expect(name(UA.dingtalkAndroid)).toBe('钉钉 · Android')
    expect(name(UA.feishuMac)).toBe('飞书 · macOS')
  })

  it('names desktop browsers', () => {
    expect(name(UA.macSafari)).toBe('Safari · macOS')
    expect(name(UA.edgeWindows)).toBe('Edge · Windows')
    expect(name(UA.firefoxLinux)).toBe('Firefox · Linux')
    expect(name('curl/8.5.0')).toBe('')
  })
})
