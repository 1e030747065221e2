// Payloads and schemas behind the documentation's examples (the events, data sources and profile
// that the pages' expressions reference), so that the examples evaluate to the documented values.
import type { EvaluationContext, JsonSchema, SchemaScope } from '../../../src/expr/index.ts';

const token = (t: string, id: string, name: string, version: string) => ({
  token: t,
  application: { _id: id, name, version },
});

export const docsPayloads: Record<string, unknown> = {
  LobbyBeacon: {
    endUserIDs: { _experience: { emailid: { id: 'example@adobe.com' } } },
    _experience: {
      campaign: {
        message: {
          profile: {
            pushNotificationTokens: [
              token('token_1', 'APP1', 'MarltonMobileApp', '1.0'),
              token('token_2', 'APP2', 'MarketplaceApp', '1.0'),
              token('token_3', 'APP3', 'VendorApp', '2.0'),
            ],
          },
        },
      },
    },
    timestamp: '1536160728',
  },
  OrderEvent: { orderId: '12345' },
  BarBeacon: { inventory: 12 },
  MyEvent: {
    identityMap: { Email: [{ id: 'jane@example.com' }], ECID: [{ id: '0123' }] },
    timestamp: '2023-12-12T00:11:00Z',
    registrationDate: '2023-03-14T10:20:30',
  },
  event: { appVersion: '20.45.2.3434' },
  iOSPushPermissionAllowed: { device: { model: 'iPad Air' } },
  eventiOSPushPermissionAllowed: { device: { model: 'iPad Air' } },
  GeofenceEntry: { placeContext: { POIinteraction: { POIDetail: { name: 'Arlington' } } } },
  MobileAppLaunch: { _myorganization: { identification: { crmid: '{CRM-42}' } } },
  myevent: {
    productListItems: [
      { id: 'product1', name: 'the product 1', price: 20 },
      { id: 'product2', name: 'the product 2', price: 30 },
      { id: 'product3', name: 'the product 3', price: 50 },
    ],
  },
  my_event: {
    productListItems: [
      { SKU: 'B-2', name: 'b', priceTotal: 30 },
      { SKU: 'A-1', name: 'a', priceTotal: 20 },
      { SKU: 'A-1', name: 'a', priceTotal: 20 },
    ],
  },
  myEvent: { sport_interests: ['news', 'sports'] },
  Profile: { address: { localisation: '48.85,2.35', city: 'Paris' } },
};

export const docsProfile = {
  person: { gender: 'male', name: { firstName: 'Jane' }, birthDate: '1983-08-18' },
  personalEmail: { address: 'jane@example.com' },
  interests: ['sports', 'news', 'cooking'],
  myOffers: '|OFFER_A|OFFER_B',
  myOfferCode: 'OFFER_B',
  consents: {
    marketing: {
      email: {
        subscriptions: {
          'daily-email': {
            subscribers: {
              'ann@example.com': { time: '2023-01-01T00:00:00Z' },
              'bob@example.com': { time: '2023-01-02T00:00:00Z' },
            },
          },
        },
      },
    },
  },
};

export const docsDataSources: Record<string, unknown> = {
  ACP: {
    Profile: {
      person: { lastName: 'Snow' },
      emails: [{ email: 'john.snow@winterfell.westeros' }, { email: 'snow@thewall.westeros' }],
    },
  },
  OpenWeather: { weatherData: { rain: { '3h': 2.5 } } },
  Weather: { main: { temperature: 21.5 } },
  Inventory: { fieldgroup3: { quantity: 4 } },
  ExperiencePlatformDataSource: {
    ExperienceEventFieldGroup: {
      experienceevent: [
        {
          timestamp: '2023-06-02T10:00:00Z',
          productData: { productInteraction: 'addToCart' },
          SKU: 'SKU-2',
        },
        {
          timestamp: '2023-06-01T10:00:00Z',
          productData: { productInteraction: 'productView' },
          SKU: 'SKU-1',
        },
        {
          timestamp: '2023-04-01T10:00:00Z',
          productData: { productInteraction: 'completePurchase' },
          SKU: 'SKU-0',
        },
      ],
    },
  },
};

/** now() in the documentation's examples: 2023-06-03T06:30Z. */
export const DOCS_NOW = Date.UTC(2023, 5, 3, 6, 30);

export function docsContext(now = DOCS_NOW): EvaluationContext {
  let seed = 7;
  return {
    events: docsPayloads,
    profile: docsProfile,
    actions: {
      ActionLoyalty: {
        points: 120,
        offers: [
          { code: 'A', value: 5 },
          { code: 'B', value: 10 },
        ],
      },
    },
    audiences: { 'men over 50': 'realized', 'Luma - Mobile App Users': 'exited' },
    dataSources: docsDataSources,
    now,
    random: () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    },
    timeZone: 'UTC',
  };
}

const str: JsonSchema = { type: 'string' };

/** Events with schemas (typed checks), everything else open (run-time checks only). */
export const docsScope: SchemaScope = {
  events: {
    LobbyBeacon: {
      type: 'object',
      properties: {
        endUserIDs: {
          type: 'object',
          properties: {
            _experience: {
              type: 'object',
              properties: { emailid: { type: 'object', properties: { id: str } } },
            },
          },
        },
        _experience: {
          type: 'object',
          properties: {
            campaign: {
              type: 'object',
              properties: {
                message: {
                  type: 'object',
                  properties: {
                    profile: {
                      type: 'object',
                      properties: {
                        pushNotificationTokens: {
                          type: 'array',
                          items: {
                            type: 'object',
                            properties: {
                              token: str,
                              application: {
                                type: 'object',
                                properties: { _id: str, name: str, version: str },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        timestamp: str,
      },
    },
    MyEvent: {
      type: 'object',
      properties: {
        identityMap: {
          type: 'object',
          additionalProperties: {
            type: 'array',
            items: { type: 'object', properties: { id: str } },
          },
        },
        timestamp: { type: 'string', format: 'date-time' },
        registrationDate: str,
      },
    },
  },
  actions: {
    ActionLoyalty: {
      type: 'object',
      properties: {
        points: { type: 'integer' },
        offers: {
          type: 'array',
          items: { type: 'object', properties: { code: str, value: { type: 'integer' } } },
        },
      },
    },
  },
  audiences: ['men over 50', 'Luma - Mobile App Users'],
  open: true,
};
