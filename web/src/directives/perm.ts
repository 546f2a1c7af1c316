/**
 * `v-perm="'org.institution.add'"` or `v-perm="['a.b.add', 'a.b.change']"` (any of them):
 * hides the element when the user lacks the code. The server enforces the code anyway.
 */
import type { Directive, DirectiveBinding } from 'vue'
import { useAuthStore } from '@/stores/auth'

type PermValue = string | string[] | undefined | null

function apply(el: HTMLElement, binding: DirectiveBinding<PermValue>): void {
  const allowed = useAuthStore().has(binding.value)
  if (allowed) {
    if (el.dataset.permHidden) {
      el.style.display = el.dataset.permDisplay ?? ''
      delete el.dataset.permHidden
      delete el.dataset.permDisplay
    }
  } else if (!el.dataset.permHidden) {
    el.dataset.permDisplay = el.style.display
    el.dataset.permHidden = '1'
    el.style.display = 'none'
  }
}

export const vPerm: Directive<HTMLElement, PermValue> = {
  mounted: apply,
  updated: apply,
}

export default vPerm
