// The Luma storefront: a shopper signs in with an email, fills a cart, checks out (the lab's
// LumaCheckoutEvent_Email) and buys (LumaPurchaseEvent_Email), all through @waymark/web. The hero
// is a code-based experience when one exists for the shopper; in-app messages show by themselves.
import { createWaymark } from '/sdk/waymark-web.js';

const HERO_SURFACE = 'web://luma.example/demo/luma#hero';
const PRODUCTS = [
  { SKU: '24-UG04', name: 'Zing Jump Rope', price: 12, color: '#e8590c' },
  { SKU: '24-WG02', name: 'Didi Sport Watch', price: 92, color: '#1b2a4a' },
  { SKU: '24-UG06', name: 'Affirm Water Bottle', price: 7, color: '#0c8599' },
  { SKU: '24-WB05', name: 'Savvy Shoulder Tote', price: 32, color: '#862e9c' },
  { SKU: '24-MB02', name: 'Fusion Backpack', price: 59, color: '#2b8a3e' },
  { SKU: '24-UG01', name: 'Quest Lumaflex Band', price: 19, color: '#c92a2a' },
];

const $ = (id) => document.getElementById(id);
const writeKey =
  document.querySelector('meta[name="waymark-write-key"]')?.getAttribute('content') ?? '';
const waymark = createWaymark({ writeKey });
const status = (text) => ($('status').textContent = text);
const money = (n) => `$${n.toFixed(2)}`;

// The cart lives in the browser (localStorage), like a real shop's before checkout.
const CART_KEY = 'luma.cart';
const readCart = () => {
  try {
    return JSON.parse(localStorage.getItem(CART_KEY) ?? '[]');
  } catch {
    return [];
  }
};
const writeCart = (items) => {
  localStorage.setItem(CART_KEY, JSON.stringify(items));
  renderCart();
};

function renderProducts() {
  const list = $('products');
  for (const p of PRODUCTS) {
    const li = document.createElement('li');
    li.className = 'product';
    const thumb = document.createElement('div');
    thumb.className = 'thumb';
    thumb.style.background = p.color;
    thumb.setAttribute('aria-hidden', 'true');
    thumb.textContent = p.name
      .split(' ')
      .map((w) => w[0])
      .join('')
      .slice(0, 2);
    const h = document.createElement('h3');
    h.textContent = p.name;
    const price = document.createElement('span');
    price.className = 'price';
    price.textContent = money(p.price);
    const add = document.createElement('button');
    add.type = 'button';
    add.textContent = 'Add to cart';
    add.setAttribute('aria-label', `Add ${p.name} to cart`);
    add.addEventListener('click', () => {
      const items = readCart();
      const line = items.find((i) => i.SKU === p.SKU);
      if (line) line.quantity += 1;
      else items.push({ SKU: p.SKU, name: p.name, price: p.price, quantity: 1 });
      writeCart(items);
      status(`${p.name} added to your cart`);
    });
    li.append(thumb, h, price, add);
    list.append(li);
  }
}

function renderCart() {
  const items = readCart();
  const list = $('cart-items');
  list.replaceChildren();
  for (const i of items) {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = `${i.quantity} × ${i.name}`;
    const total = document.createElement('span');
    total.textContent = money(i.price * i.quantity);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.setAttribute('aria-label', `Remove ${i.name}`);
    remove.addEventListener('click', () => writeCart(readCart().filter((x) => x.SKU !== i.SKU)));
    li.append(name, total, remove);
    list.append(li);
  }
  $('cart-empty').hidden = items.length > 0;
  $('cart-total').textContent = money(items.reduce((s, i) => s + i.price * i.quantity, 0));
  $('checkout').disabled = items.length === 0;
  $('buy').disabled = items.length === 0;
}

/** The lab's commerce event: the shopper's email where the event type's identity is, and the cart. */
function commerceEvent(kind, email, items) {
  const productListItems = items.map((i) => ({
    name: i.name,
    SKU: i.SKU,
    quantity: i.quantity,
    priceTotal: i.price * i.quantity,
  }));
  const value = productListItems.reduce((s, i) => s + i.priceTotal, 0);
  return {
    _aeppartner1: { identification: { core: { email } } },
    commerce:
      kind === 'checkout'
        ? { checkouts: { value: 1 } }
        : {
            purchases: { value: 1 },
            order: { purchaseID: `LUMA-${Date.now()}`, priceTotal: value, currencyCode: 'USD' },
          },
    productListItems,
  };
}

async function send(kind) {
  const who = waymark.identity();
  if (!who) {
    status('Sign in with your email first');
    $('email').focus();
    return;
  }
  const items = readCart();
  if (items.length === 0) return;
  const type = kind === 'checkout' ? 'LumaCheckoutEvent_Email' : 'LumaPurchaseEvent_Email';
  try {
    await waymark.track(type, commerceEvent(kind, who.id, items));
    if (kind === 'buy') {
      writeCart([]);
      status('Thank you for your order!');
    } else status('Checkout started: your order is one click away');
  } catch (e) {
    status(`Could not send ${type}: ${e.message}`);
  }
}

function showIdentity() {
  const who = waymark.identity();
  $('sign-in').hidden = who !== null;
  $('signed-in').hidden = who === null;
  $('who').textContent = who ? `Signed in as ${who.id}` : '';
}

/** What Waymark has for the shopper: the hero experience and the in-app messages of this page. */
async function personalize() {
  if (!waymark.identity()) return;
  try {
    await waymark.experiences.render(HERO_SURFACE, $('hero'));
  } catch (e) {
    console.debug('no code-based experience for the hero:', e.message);
  }
  try {
    await waymark.inApp.autoShow();
  } catch (e) {
    console.debug('no in-app messages:', e.message);
  }
}

$('sign-in').addEventListener('submit', (e) => {
  e.preventDefault();
  const email = $('email').value.trim().toLowerCase();
  if (!email) return;
  waymark.identify('Email', email);
  showIdentity();
  status(`Welcome back, ${email}`);
  void personalize();
});
$('sign-out').addEventListener('click', () => {
  waymark.reset();
  showIdentity();
  status('Signed out');
});
$('checkout').addEventListener('click', () => void send('checkout'));
$('buy').addEventListener('click', () => void send('buy'));
$('enable-push').addEventListener('click', async () => {
  if (!waymark.identity()) {
    status('Sign in with your email first');
    return;
  }
  try {
    await waymark.push.register({
      configuration: 'LumaWebPush',
      serviceWorkerUrl: '/sdk/waymark-sw.js',
    });
    status('Notifications enabled');
  } catch (e) {
    status(`Notifications could not be enabled: ${e.message}`);
  }
});

renderProducts();
renderCart();
showIdentity();
if (location.pathname.endsWith('/cart')) $('cart').scrollIntoView();
void personalize();
