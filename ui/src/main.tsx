import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import '@xyflow/react/dist/style.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
