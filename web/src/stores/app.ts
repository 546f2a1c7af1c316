/** Layout state: side menu collapsed, narrow screen (menu collapsed), phone (menu as an overlay). */
import { defineStore } from 'pinia'
import { ref } from 'vue'

export const NARROW_WIDTH = 992
export const PHONE_WIDTH = 768

export const useAppStore = defineStore('app', () => {
  const width = typeof window !== 'undefined' ? window.innerWidth : 1366
  const collapsed = ref(width < NARROW_WIDTH)
  const narrow = ref(width < NARROW_WIDTH)
  const phone = ref(width < PHONE_WIDTH)

  function toggle(): void {
    collapsed.value = !collapsed.value
  }

  function onResize(w: number): void {
    const isNarrow = w < NARROW_WIDTH
    if (isNarrow !== narrow.value) collapsed.value = isNarrow
    narrow.value = isNarrow
    phone.value = w < PHONE_WIDTH
  }

  return { collapsed, narrow, phone, toggle, onResize }
})
