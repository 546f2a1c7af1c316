import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus, { ElMessage } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { setAuthHandlers } from './api/http'
import { vPerm } from './directives/perm'
import { makeRouter } from './router'
import { useAuthStore } from './stores/auth'

const app = createApp(App)
const pinia = createPinia()
const router = makeRouter()

app.use(pinia)
app.use(router)
app.use(ElementPlus, { locale: zhCn })
app.directive('perm', vPerm)

// The server ended the session (logout elsewhere, idle timeout, forced logout): back to login.
setAuthHandlers({
  unauthenticated: (error) => {
    const auth = useAuthStore(pinia)
    const current = router.currentRoute.value
    auth.clear()
    if (current.path === '/login') return
    ElMessage.warning({ message: error.message || '登录已失效，请重新登录。', grouping: true })
    void router.replace({ path: '/login', query: current.fullPath !== '/' ? { redirect: current.fullPath } : {} })
  },
  passwordChangeRequired: (error) => {
    ElMessage.warning({ message: error.message, grouping: true })
    void router.replace({ path: '/login', query: { step: 'password' } })
  },
})

app.mount('#app')
