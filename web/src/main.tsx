import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<p>Bulwark 防控</p>);
