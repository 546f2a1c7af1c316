/**
 * The notification socket (`/ws/notify/`, platform/notify): unread count and new-message popups.
 *
 * One socket per open console (the layout connects it, logging out closes it). The session cookie
 * authenticates it; close code 4401 means the session is gone (no reconnect: the next request
 * sends the user to the login page). Any other close reconnects with a growing delay. Events:
 * `{"type":"unread","count":N}`, `{"type":"popup","message":{…},"sound":…}`,
 * `{"type":"handled","message_id":M,"handled_by":"张三"}`; `{"type":"ping"}` keeps it alive.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ElNotification } from 'element-plus'

export const NOTIFY_SOCKET_PATH = '/ws/notify/'
export const CLOSE_UNAUTHENTICATED = 4401
const PING_MS = 30_000
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000]
const RECENT_MAX = 20

/** A new message as the socket pushes it (see platform/notify/services/delivery.popup_payload). */
export interface PopupMessage {
  id: number | null
  message_id: number | null
  type: string
  type_name: string
  title: string
  body: string
  display_mode: 'popup' | 'toast' | 'inbox' | string
  urgent: boolean
  must_handle: boolean
  sender_name: string
  created_at: string
  related_type?: string
  related_id?: string
}

type SocketEvent =
  | { type: 'unread'; count: number }
  | { type: 'popup'; message: PopupMessage; sound?: string | null }
  | { type: 'handled'; message_id: number; handled_by: string }
  | { type: 'pong' }

export type SocketState = 'idle' | 'connecting' | 'open' | 'closed'

export function socketUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${NOTIFY_SOCKET_PATH}`
}

/** A short tone for message types with a sound (best effort: browsers may block audio before a click). */
function beep(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext
    if (!Ctx) return
    const ctx = new Ctx()
    const tone = ctx.createOscillator()
    const gain = ctx.createGain()
    tone.frequency.value = 880
    gain.gain.value = 0.08
    tone.connect(gain).connect(ctx.destination)
    tone.onended = () => void ctx.close()
    tone.start()
    tone.stop(ctx.currentTime + 0.15)
  } catch {
    /* no audio device */
  }
}

/** Show a new message: 弹窗 stays until closed, 右下角提示 fades unless urgent or to be handled. */
export function showPopup(message: PopupMessage, sound?: string | null): void {
  if (sound) beep()
  const sticky = message.display_mode === 'popup' || message.urgent || message.must_handle
  ElNotification({
    title: message.title || message.type_name || '新消息',
    message: message.body || `${message.sender_name || '系统'} 发来一条${message.type_name || '消息'}`,
    type: message.urgent ? 'warning' : 'info',
    position: message.display_mode === 'popup' ? 'top-right' : 'bottom-right',
    duration: sticky ? 0 : 6_000,
    // below the 56-pixel top bar, so that the bell and the user menu stay usable
    offset: message.display_mode === 'popup' ? 64 : 16,
    customClass: 'notify-popup',
  })
}

export const useNotifyStore = defineStore('notify', () => {
  const unread = ref(0)
  const recent = ref<PopupMessage[]>([])
  const state = ref<SocketState>('idle')

  let socket: WebSocket | null = null
  let ping: ReturnType<typeof setInterval> | null = null
  let retry: ReturnType<typeof setTimeout> | null = null
  let attempts = 0
  let wanted = false

  function clearTimers(): void {
    if (ping) clearInterval(ping)
    if (retry) clearTimeout(retry)
    ping = null
    retry = null
  }

  function handle(event: SocketEvent): void {
    if (event.type === 'unread') {
      unread.value = Math.max(0, Number(event.count) || 0)
    } else if (event.type === 'popup') {
      recent.value = [event.message, ...recent.value.filter((m) => m.id !== event.message.id || m.id === null)].slice(0, RECENT_MAX)
      showPopup(event.message, event.sound)
    } else if (event.type === 'handled') {
      recent.value = recent.value.filter((m) => m.message_id !== event.message_id)
    }
  }

  function open(url: string): void {
    state.value = 'connecting'
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      if (socket !== ws) return
      attempts = 0
      state.value = 'open'
      ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'ping' })), PING_MS)
    }
    ws.onmessage = (e: MessageEvent) => {
      try {
        handle(JSON.parse(String(e.data)) as SocketEvent)
      } catch {
        /* not JSON: ignore */
      }
    }
    ws.onclose = (e: CloseEvent) => {
      if (socket !== ws) return
      socket = null
      clearTimers()
      state.value = 'closed'
      if (!wanted || e.code === CLOSE_UNAUTHENTICATED) return
      const delay = RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)]
      attempts += 1
      retry = setTimeout(() => wanted && open(url), delay)
    }
  }

  /** Open the socket (idempotent). */
  function connect(url: string = socketUrl()): void {
    wanted = true
    if (socket || retry || typeof WebSocket === 'undefined') return
    open(url)
  }

  /** Close it and forget the messages (logout, leaving the console frame). */
  function disconnect(): void {
    wanted = false
    clearTimers()
    const ws = socket
    socket = null
    ws?.close(1000)
    state.value = 'idle'
    unread.value = 0
    recent.value = []
  }

  return { unread, recent, state, connect, disconnect, handle }
})
