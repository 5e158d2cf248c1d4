import { useI18n } from 'vue-i18n'
import type { FileRead } from './api'

/** "[Image]", "[Voice]", "[File] report.pdf": how a message of files reads in the chat
 * list and in notifications when it has no text. */
export function useAttachmentSummary() {
  const { t } = useI18n()
  return (files: readonly FileRead[] | null | undefined): string => {
    const f = files?.[0]
    if (!f) return ''
    return f.kind === 'file' ? t('files.summary.file', { name: f.name }) : t(`files.summary.${f.kind}`)
  }
}
