// The default VitePress theme, with wider pages for the reference tables.
import DefaultTheme from 'vitepress/theme';
import './waymark.css';

export default DefaultTheme;
