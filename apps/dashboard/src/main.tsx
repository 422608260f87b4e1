import { startApp } from '@ent-observatory/web';
import { App } from './App';

startApp(<App />);
