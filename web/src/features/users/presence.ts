/** The i18n key naming each presence state (users store `presenceOf`). */
export const PRESENCE_LABEL = {
  online: 'contacts.online',
  offline: 'contacts.offline',
  unknown: 'offline.presenceUnknown',
} as const
