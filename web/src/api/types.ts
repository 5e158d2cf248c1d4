// Types of the public contract, generated from the server's OpenAPI spec (`npm run gen:api`).
import type { components } from './schema'

type S = components['schemas']
export type User = S['UserRead']
/** Your own account (and what administrators see of one): e-mail, must_change_password. */
export type Account = S['AccountRead']
/** The signed-in account with its effective permissions (GET /users/me). */
export type Me = S['MeRead']
export type Permission = S['MeRead']['permissions'][number]
export type UserCreate = S['UserCreate']
export type UserPage = S['UserPage']
export type LoginResponse = S['LoginResponse']
export type SetupState = S['SetupState']
export type SetupResponse = S['SetupResponse']
export type SessionInfo = S['SessionRead']
export type Conversation = S['ConversationRead']
export type ConversationSummary = S['ConversationSummary']
export type ConversationDetail = S['ConversationDetail']
export type ConversationPage = S['ConversationPage']
export type MemberSettings = S['MemberSettings']
export type Member = S['MemberRead']
export type MemberPage = S['MemberPage']
export type Message = S['MessageRead']
export type MessagePage = S['MessagePage']
export type ReactionSummary = S['ReactionSummary']
export type ReadState = S['ReadState']
export type Receipts = S['Receipts']
export type SyncResponse = S['SyncResponse']
export type EditHistory = S['EditHistory']
export type PinRead = S['PinRead']
export type FavoritePage = S['FavoritePage']
export type FavoriteRead = S['FavoriteRead']
export type MessagePageByCursor = S['MessagePageByCursor']
export type MessageInContext = S['MessageInContext']
export type Branding = S['Branding']
export type BrandingUpdate = S['BrandingUpdate']
export type ProfileCard = S['ProfileCard']
export type ProfileFields = S['ProfileFields']
export type Role = Member['role']

/** A merged chat-history card (合并转发), `Message.forward`. */
export interface ForwardCard {
  source: { type: 'direct' | 'group'; name: string }
  items: { sender_id: string | null; sender_name: string; created_at: string; kind: string; text: string; forward?: ForwardCard }[]
}

export type MessageLink = S['MessageLink']
export type SearchHit = S['SearchHit']
export type SearchPage = S['SearchPage']
