/** Layout state: side menu collapsed, narrow screen. */
import { defineStore } from 'pinia'
import { ref } from 'vue'

export const NARROW_WIDTH = 992

export const useAppStore = defineStore('app', () => {
  const collapsed = ref(typeof window !== 'undefined' && window.innerWidth < NARROW_WIDTH)
  const narrow = ref(typeof window !== 'undefined' && window.innerWidth < NARROW_WIDTH)

  function toggle(): void {
    collapsed.value = !collapsed.value
  }

  function onResize(width: number): void {
    const isNarrow = width < NARROW_WIDTH
    if (isNarrow !== narrow.value) collapsed.value = isNarrow
    narrow.value = isNarrow
  }

  return { collapsed, narrow, toggle, onResize }
})
