/**
 * keep-alive caches components by name, and every page file is an `index.vue`; so each route path
 * gets a thin wrapper component named after it (`page:/org/beds`) that renders the route's vnode.
 * Closing a tab removes the name from `include`, which destroys the cached page.
 */
import { defineComponent, type Component, type PropType, type VNode } from 'vue'
import { cacheName } from '@/stores/tabs'

const wrappers = new Map<string, Component>()

export function pageWrapper(path: string): Component {
  let wrapper = wrappers.get(path)
  if (!wrapper) {
    wrapper = defineComponent({
      name: cacheName(path),
      props: { vnode: { type: Object as PropType<VNode>, required: false, default: null } },
      setup: (props) => () => props.vnode,
    })
    wrappers.set(path, wrapper)
  }
  return wrapper
}
