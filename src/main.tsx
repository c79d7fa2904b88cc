import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadConfig } from './lib/config';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

void loadConfig(document.baseURI).then((config) => {
  createRoot(root).render(
    <StrictMode>
      <App config={config} documentUrl={document.baseURI} />
    </StrictMode>,
  );
});
