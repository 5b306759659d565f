import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { loadDeployment } from './chain/manifest'
import { AppProvider } from './session/AppContext'
import { SolanaProvider } from './solana/SolanaContext'
import './styles.css'

const root = createRoot(document.getElementById('root')!)

loadDeployment()
  .then((deployment) =>
    root.render(
      <StrictMode>
        <AppProvider deployment={deployment}>
          <SolanaProvider>
            <App />
          </SolanaProvider>
        </AppProvider>
      </StrictMode>,
    ),
  )
  .catch((error: Error) =>
    root.render(
      <main className="page">
        <h1>Mercato is not reachable</h1>
        <p role="alert">{error.message}</p>
      </main>,
    ),
  )
