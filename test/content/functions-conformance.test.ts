// Conformance with the examples of Adobe's personalization function reference. Each case cites its
// page in AdobeDocs/journey-optimizer.en (help/using/personalization/functions/<page>). Where the page
// states no output, the expected value follows the page's description; deviations are commented.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { renderInline } from '../../src/content/index.ts';

const NOW = Date.UTC(2025, 0, 7, 6, 47, 10); // 2025-01-07T06:47:10Z (the dates page's "currentDate" examples)
const profile = {
  person: {
    birthYear: 1985,
    age: 40,
    name: { firstName: 'John', lastName: 'Doe' },
    emailAddress: 'john2010@gmail.com',
    birthMonth: 6,
    favoriteColors: ['red', 'yellow'],
    birthDateTime: '2020-01-01T10:00:00Z',
  },
  homeAddress: { street: 'washington high street', city: 'Los Angeles', countryCode: 'FR' },
  mobilePhone: { number: '' },
  personalEmail: { address: 'jane@luma.example' },
  orders: [
    { id: 'A1', price: 30, status: 'pending', storeId: 1 },
    { id: 'A2', price: 10, status: 'shipped', storeId: 2 },
    { id: 'A3', price: 20, status: 'pending', storeId: 1 },
  ],
  identityMap: { email: 'jane@luma.example', crmId: '42' },
  visitedCities: ['Paris', 'Rome', 'Oslo'],
  favoriteCities: ['Paris', 'Rome'],
  eatenFoods: ['sushi', 'pizza', 'tacos'],
  loyalty: { points: 1200 },
  product1: { price: 16, inventory: 7.5 },
  product2: { price: 16.5 },
  totalProduct: { price: 250, sold: 20 },
  purchases: [{ order: { price: 30 } }, { order: { price: 10 } }, { order: { price: 20 } }],
  segmentMembership: { ups: { 'aud-1': { status: 'existing' } } },
};
const data = {
  profile,
  context: { journey: { events: { '1697323153': { timestamp: '2026-03-18T14:30:00Z' } } } },
};

type Case = readonly [page: string, template: string, expected: string];
const D = (s: string): string => `stringToDate("${s}")`;
const cases: readonly Case[] = [
  // string.md
  ['string.md#camelCase', '{%= camelCase(profile.homeAddress.street) %}', 'Washington High Street'],
  ['string.md#char-code-at', '{%= charCodeAt("some", 1)%}', '111'],
  ['string.md#concate', '{%= concat("Hello", " ", "World") %}', 'Hello World'],
  ['string.md#contains', '{%= contains(profile.person.name.firstName, "J", false) %}', 'true'],
  ['string.md#contains', '{%= contains(profile.person.name.firstName, "j") %}', 'false'],
  ['string.md#contains', '{%= contains(profile.person.emailAddress,"2010@gm") %}', 'true'],
  [
    'string.md#doesNotContain',
    '{%= doesNotContain(profile.person.emailAddress,"2010@gm")%}',
    'false',
  ],
  ['string.md#doesNotEndWith', '{%= doesNotEndWith(profile.person.emailAddress,".com")%}', 'false'],
  [
    'string.md#doesNotStartWith',
    '{%= doesNotStartWith(profile.person.name.firstName,"Joe")%}',
    'true',
  ],
  ['string.md#encode64', '{%= encode64("hello") %}', 'aGVsbG8='],
  ['string.md#decode64', '{%= decode64("aGVsbG8=") %}', 'hello'],
  ['string.md#decode64', '{%= decode64("not base64!") %}', 'not base64!'],
  ['string.md#endsWith', '{%= endsWith(profile.person.emailAddress,".com") %}', 'true'],
  ['string.md#endsWith', '{%= endsWith(profile.person.emailAddress,".COM", false) %}', 'true'],
  ['string.md#equals', '{%=equals(profile.person.name.firstName,"John") %}', 'true'],
  ['string.md#equals', '{%=equals(profile.person.name.firstName,"john") %}', 'false'],
  [
    'string.md#equalsIgnoreCase',
    '{%= equalsIgnoreCase(profile.person.name.firstName,"JOHN") %}',
    'true',
  ],
  [
    'string.md#equals-any-ignore-case',
    '{%= equalsAnyIgnoreCase("Icon", "icon", "ambassador", "luminary") %}',
    'true',
  ],
  [
    'string.md#extractEmailDomain',
    '{%= extractEmailDomain(profile.personalEmail.address) %}',
    'luma.example',
  ],
  ['string.md#format-currency', '{%= formatCurrency(56,"en_GB") %}', '£56.00'],
  ['string.md#get-url-host', '{%= getUrlHost("https://www.myurl.com/contact") %}', 'www.myurl.com'],
  [
    'string.md#get-url-path',
    '{%= getUrlPath("https://www.myurl.com/contact.html") %}',
    '/contact.html',
  ],
  // The page says "http" for an https URL; the protocol of that URL is https.
  [
    'string.md#get-url-protocol',
    '{%= getUrlProtocol("https://www.myurl.com/contact.html") %}',
    'https',
  ],
  [
    'string.md#get-url-fragment',
    '{%= getUrlFragment("https://www.myurl.com/contact.html#faq") %}',
    'faq',
  ],
  [
    'string.md#append-query-params',
    '{%= appendQueryParams("https://example.com/page", "utm_source", "email") %}',
    'https://example.com/page?utm_source=email',
  ],
  ['string.md#index-of', '{%= indexOf("hello world","world" ) %}', '6'],
  ['string.md#isEmpty', '{%= isEmpty(profile.mobilePhone.number) %}', 'true'],
  ['string.md#is-not-empty', '{%= isNotEmpty(profile.mobilePhone.number) %}', 'false'],
  ['string.md#join', '{%= join(["red", "green", "blue"], ",") %}', 'red,green,blue'],
  ['string.md#last-index-of', '{%= lastIndexOf("hello world","o" ) %}', '7'],
  ['string.md#leftTrim', '[{%= leftTrim("  hi  ") %}]', '[hi  ]'],
  ['string.md#length', '{%= length(profile.homeAddress.city) %}', '11'],
  ['string.md#like', '{%= like(profile.homeAddress.city, "%es%")%}', 'true'],
  ['string.md#like', '{%= like("Paris", "P_r%")%}', 'true'],
  ['string.md#lower', '{%= lowerCase(profile.person.name.firstName) %}', 'john'],
  ['string.md#matches', '{%= matches(profile.person.name.firstName,"(?i)^john") %}', 'true'],
  ['string.md#mask', '{%= mask("123456789",1,2) %}', '1XXXXXX89'],
  ['string.md#md5', '{%= md5("hello world") %}', '5eb63bbbe01eeed093cb22bb8f5acdc3'],
  ['string.md#notEqualTo', '{%= notEqualTo(profile.person.name.firstName,"John") %}', 'false'],
  [
    'string.md#not-equal-with-ignore-case',
    '{%= notEqualWithIgnoreCase(profile.person.name.firstName,"john") %}',
    'false',
  ],
  [
    'string.md#regexGroup',
    '{%= regexGroup(profile.personalEmail.address,"@(\\\\w+)", 1) %}',
    'luma',
  ],
  [
    'string.md#replace',
    '{%= replace("Hello John, here is your monthly newsletter!","John","Mark") %}',
    'Hello Mark, here is your monthly newsletter!',
  ],
  ['string.md#replaceAll', '{%= replaceAll("Hello World","World","AJO") %}', 'Hello AJO'],
  ['string.md#replaceAll', '{%= replaceAll("aaa","aa","b") %}', 'ba'],
  [
    'string.md#replaceAll',
    '{% let cleanName = replaceAll("Jo-hn 2", "[^a-zA-Z]", "") %}Hello {{cleanName}}, code WELCOME-{%= upperCase(cleanName) %}',
    'Hello John, code WELCOME-JOHN',
  ],
  ['string.md#rightTrim', '[{%= rightTrim("  hi  ") %}]', '[  hi]'],
  [
    'string.md#sha256',
    '{%= sha256("Eliechxh")%}',
    '0b0b207880b999adaad6231026abf87caa30760b6f326b21727b61139332257d',
  ],
  ['string.md#split', '{%= count(split("a,b,c", ",")) %}', '3'],
  ['string.md#startsWith', '{%= startsWith(profile.person.name.firstName,"Joe") %}', 'false'],
  [
    'string.md#string-to-date',
    '{%= stringToDate("2023-01-10 23:13:26", "yyyy-MM-dd HH:mm:ss") %}',
    '2023-01-10T23:13:26Z',
  ],
  ['string.md#string-to-integer', '{%= stringToInteger("42") %}', '42'],
  ['string.md#string-to-number', '{%= stringToNumber("3.5") %}', '3.5'],
  ['string.md#string-to-number', '{%= stringToNumber("abc") %}', 'abc'],
  ['string.md#sub-string', '{%= substr("Luma Retail", 0, 4) %}', 'Luma'],
  ['string.md#titleCase', '{%= titleCase(profile.homeAddress.street) %}', 'Washington High Street'],
  ['string.md#to-bool', '{%= toBool("true") %}', 'true'],
  ['string.md#trim', '[{%= trim("  hi  ") %}]', '[hi]'],
  ['string.md#upper', '{%= upperCase(profile.person.name.lastName) %}', 'DOE'],
  ['string.md#url-encode', '{%= urlEncode("a b&c") %}', 'a+b%26c'],
  ['string.md#url-decode', '{%= urlDecode("a+b%26c") %}', 'a b&amp;c'],
  // dates.md
  ['dates.md#add-days', `{%= addDays(${D('2024-11-01T17:19:51Z')},10) %}`, '2024-11-11T17:19:51Z'],
  ['dates.md#add-hours', `{%= addHours(${D('2024-11-01T17:19:51Z')},1) %}`, '2024-11-01T18:19:51Z'],
  [
    'dates.md#add-minutes',
    `{%= addMinutes(${D('2024-11-01T17:59:51Z')},10) %}`,
    '2024-11-01T18:09:51Z',
  ],
  [
    'dates.md#add-months',
    `{%= addMonths(${D('2024-11-01T17:19:51Z')},2) %}`,
    '2025-01-01T17:19:51Z',
  ],
  [
    'dates.md#add-seconds',
    `{%= addSeconds(${D('2024-11-01T17:19:51Z')},10) %}`,
    '2024-11-01T17:20:01Z',
  ],
  ['dates.md#add-years', `{%= addYears(${D('2024-11-01T17:19:51Z')},2) %}`, '2026-11-01T17:19:51Z'],
  ['dates.md#age-days', `{%= ageInDays(${D('2025-01-01T17:19:51Z')})%}`, '5'],
  ['dates.md#age-months', `{%=ageInMonths(${D('2024-01-01T00:00:00Z')})%}`, '12'],
  [
    'dates.md#compare-dates',
    `{%=compareDates(${D('2024-12-02T00:00:00Z')}, ${D('2024-12-03T00:00:00Z')})%}`,
    '-1',
  ],
  [
    'dates.md#convert-zoned-date-time',
    `{%=convertZonedDateTime(${D('2019-02-19T08:09:00Z')}, "Asia/Tehran")%}`,
    '2019-02-19T11:39+03:30[Asia/Tehran]',
  ],
  ['dates.md#current-time', '{%= currentTimeInMillis() %}', String(NOW)],
  [
    'dates.md#date-diff',
    `{%= dateDiff(${D('2025-01-07T00:00:00Z')}, ${D('2025-01-14T00:00:00Z')}) %}`,
    '7',
  ],
  [
    'dates.md#date-diff',
    '{% let daysLeft = dateDiff(getCurrentZonedDateTime(), stringToDate("2025-01-14T12:00:00Z")) %}{%#if daysLeft > 0%}Your points expire in {{daysLeft}} day{%#if daysLeft > 1%}s{%/if%}{%else%}Your points have expired.{%/if%}',
    'Your points expire in 7 days',
  ],
  [
    'dates.md#date-between',
    `{%= dateBetween(${D('2024-06-15T00:00:00Z')}, ${D('2024-06-01T00:00:00Z')}, ${D('2024-06-30T00:00:00Z')}) %}`,
    'true',
  ],
  ['dates.md#day-month', `{%= dayOfMonth(${D('2024-11-05T17:19:51Z')}) %}`, '5'],
  [
    'dates.md#day-week',
    '{%#if dayOfWeek(getCurrentZonedDateTime()) = 6 or dayOfWeek(getCurrentZonedDateTime()) = 7%}closed{%else%}Our team will get back to you within 24 hours.{%/if%}',
    'Our team will get back to you within 24 hours.',
  ],
  ['dates.md#day-week', `{%= dayOfWeek(${D('2024-11-17T10:00:00Z')}) %}`, '7'],
  ['dates.md#day-year', `{%= dayOfYear(${D('2024-03-15T00:00:00Z')}) %}`, '75'],
  [
    'dates.md#diff-seconds',
    `{%=diffInSeconds(${D('2024-11-01T17:19:51Z')}, ${D('2024-11-01T17:19:01Z')})%}`,
    '50',
  ],
  ['dates.md#extract-hours', `{%= extractHours(${D('2024-11-01T17:19:51Z')})%}`, '17'],
  ['dates.md#extract-minutes', `{%= extractMinutes(${D('2024-11-01T17:19:51Z')})%}`, '19'],
  [
    'dates.md#extract-minutes',
    '{% let h = extractHours(stringToDate("2026-03-18T14:05:00Z")) %}{% let m = extractMinutes(stringToDate("2026-03-18T14:05:00Z")) %}Your appointment is confirmed for {{h}}:{%#if m < 10%}0{%/if%}{{m}}.',
    'Your appointment is confirmed for 14:05.',
  ],
  ['dates.md#extract-months', `{%=extractMonth(${D('2024-11-01T17:19:51Z')})%}`, '11'],
  ['dates.md#extract-seconds', `{%=extractSeconds(${D('2024-11-01T17:19:51Z')})%}`, '51'],
  [
    'dates.md#format-date',
    '{%= formatDate(stringToDate(profile.person.birthDateTime), "EEEE MMMM dd yyyy") %}',
    'Wednesday January 01 2020',
  ],
  [
    'dates.md#format-date',
    '{%= formatDate(getCurrentZonedDateTime(), "MM/dd/YYYY") %}',
    '01/07/2025',
  ],
  ['dates.md#format-date', '{%= lowerCase(formatDate(getCurrentZonedDateTime(), "EEE")) %}', 'tue'],
  [
    'dates.md#format-date',
    '{% let appointmentDate = formatDate(toDateTime(context.journey.events.`1697323153`.timestamp), "dd/MM/yyyy HH:mm") %}{{appointmentDate}}',
    '18/03/2026 14:30',
  ],
  [
    'dates.md#pattern-characters',
    `{%= formatDate(${D('2023-12-31T10:15:30Z')}, "y Y M m d D") %}`,
    '2023 2024 12 15 31 365',
  ],
  [
    'dates.md#format-date-locale',
    `{%= formatDate(${D('2024-11-01T10:00:00Z')}, "EEEE dd MMMM yyyy", "fr_FR") %}`,
    'vendredi 01 novembre 2024',
  ],
  [
    'dates.md#get-current-zoned-date-time',
    '{%= getCurrentZonedDateTime() %}',
    '2025-01-07T06:47:10Z',
  ],
  [
    'dates.md#hours-difference',
    `{%= diffInHours(${D('2024-11-01T17:19:51Z')}, ${D('2024-11-01T07:19:51Z')})%}`,
    '10',
  ],
  [
    'dates.md#diff-minutes',
    `{%= diffInMinutes(${D('2024-11-01T17:19:51Z')}, ${D('2024-11-01T16:19:51Z')})%}`,
    '60',
  ],
  [
    'dates.md#months-difference',
    `{%=diffInMonths(${D('2024-11-01T17:19:51Z')}, ${D('2024-08-01T17:19:51Z')})%}`,
    '3',
  ],
  ['dates.md#set-days', `{%= setDays(${D('2024-11-15T17:19:51Z')}, 1) %}`, '2024-11-01T17:19:51Z'],
  [
    'dates.md#set-hours',
    `{%= setHours(${D('2024-11-01T17:19:51Z')}, 0) %}`,
    '2024-11-01T00:19:51Z',
  ],
  [
    'dates.md#set-hours',
    '{%= setHours(addDays(stringToDate("2025-02-10T17:00:00Z"), -7), 9) %}',
    '2025-02-03T09:00Z',
  ],
  ['dates.md#to-date-time', '{%=toDateTime("2024-11-01T17:19:51Z")%}', '2024-11-01T17:19:51Z'],
  [
    'dates.md#truncate-day',
    `{%= truncateToStartOfDay(${D('2024-11-01T17:19:51Z')}) %}`,
    '2024-11-01T00:00Z',
  ],
  [
    'dates.md#truncate-quarter',
    `{%=truncateToStartOfQuarter(${D('2024-11-01T17:19:51Z')})%}`,
    '2024-10-01T00:00Z',
  ],
  [
    'dates.md#truncate-week',
    `{%= truncateToStartOfWeek(${D('2024-11-19T17:19:51Z')})%}`,
    '2024-11-18T00:00Z',
  ],
  [
    'dates.md#truncate-year',
    `{%=truncateToStartOfYear(${D('2024-11-01T17:19:51Z')})%}`,
    '2024-01-01T00:00Z',
  ],
  ['dates.md#week-of-year', `{%= weekOfYear(${D('2024-11-01T17:19:51Z')}) %}`, '44'],
  [
    'dates.md#diff-years',
    `{%=diffInYears(${D('2024-11-01T17:19:51Z')}, ${D('2019-10-01T17:19:51Z')})%}`,
    '5',
  ],
  // math.md
  ['math.md#absolute', '{%= absolute(-5) %}', '5'],
  ['math.md#format-number', '{%= formatNumber(123456.789, "ar_EG") %}', '١٢٣٬٤٥٦٫٧٨٩'],
  ['math.md#format-number', '{%= formatNumber(1234.5, "en_US") %}', '1,234.5'],
  ['math.md#round-down', '{%= roundDown(3.7) %}', '3'],
  ['math.md#round-up', '{%= roundUp(3.2) %}', '4'],
  ['math.md#to-hex-string', '{%= toHexString(158) %}', '9e'],
  ['math.md#to-int', '{%= toInt(42.6) %}', '42'],
  ['math.md#to-percentage', '{%= toPercentage(0.25) %}', '25%'],
  ['math.md#to-precision', '{%= toPrecision(3.14159,2) %}', '3.14'],
  ['math.md#to-string', '{%= toString(12) %}', '12'],
  // maps.md
  ['maps.md#get', '{%= get(profile.identityMap,"email") %}', 'jane@luma.example'],
  ['maps.md#keys', '{%= keys(profile.identityMap) %}', 'email,crmId'],
  ['maps.md#values', '{%= values(profile.identityMap) %}', 'jane@luma.example,42'],
  // arrays-list.md (the countOnlyNull example array holds no null: nulls are used here)
  ['arrays-list.md#count-only-null', '{%= countOnlyNull([4,null,1,6,null,null]) %}', '3'],
  ['arrays-list.md#count-with-null', '{%= countWithNull([4,null,1,6,null,null]) %}', '6'],
  ['arrays-list.md#distinct', '{%= join(distinct([1,2,1,3,2]), ",") %}', '1,2,3'],
  ['arrays-list.md#distinct', '{%= count(distinct([1, 2, 1])) > 1 %}', 'true'],
  ['arrays-list.md#distinct', '{%= distinct(profile.orders.storeId).count() > 1 %}', 'true'],
  ['arrays-list.md#distinct-count-with-null', '{%= distinctCountWithNull([10,2,10,null]) %}', '3'],
  ['arrays-list.md#head', '{%= head(topN(profile.orders, "price", 5)).id %}', 'A1'],
  ['arrays-list.md#first-n', '{%= count(topN(profile.orders,"price", 2)) %}', '2'],
  ['arrays-list.md#in', '{%= in (profile.person.birthMonth, [3, 6, 9]) %}', 'true'],
  ['arrays-list.md#includes', '{%= includes(profile.person.favoriteColors,"red") %}', 'true'],
  [
    'arrays-list.md#intersects',
    '{%= intersects(profile.person.favoriteColors,["red", "blue", "green"]) %}',
    'true',
  ],
  ['arrays-list.md#last-n', '{%= head(bottomN(profile.orders,"price", 5)).id %}', 'A2'],
  ['arrays-list.md#notin', '{%= notIn(profile.person.birthMonth ,[3, 6, 9]) %}', 'false'],
  ['arrays-list.md#notin', '{%= notIn(profile.missing ,[3, 6, 9]) %}', 'false'],
  [
    'arrays-list.md#subset',
    '{%= subsetOf(profile.favoriteCities,profile.visitedCities) %}',
    'true',
  ],
  ['arrays-list.md#superset', '{%= supersetOf(profile.eatenFoods,["sushi", "pizza"]) %}', 'true'],
  [
    'arrays-list.md#each-loop',
    '{{#each profile.visitedCities}}{{@index}}: {{this}};{{/each}}',
    '0: Paris;1: Rome;2: Oslo;',
  ],
  [
    'arrays-list.md#each-loop',
    '{{#each profile.orders as |order|}}{%#if order.status = "pending"%}Your order {{order.id}} is still pending. {%/if%}{{/each}}',
    'Your order A1 is still pending. Your order A3 is still pending. ',
  ],
  // aggregation.md
  ['aggregation.md#average', '{%=average([10, 20, 30])%}', '20'],
  ['aggregation.md#average', '{%=average(profile.purchases.order.price)%}', '20'],
  ['aggregation.md#max', '{%=max(profile.purchases.order.price)%}', '30'],
  ['aggregation.md#min', '{%=min(profile.purchases.order.price) %}', '10'],
  ['aggregation.md#sum', '{%=sum(profile.purchases.order.price)%}', '60'],
  ['aggregation.md#count', '{%= count(profile.orders) %}', '3'],
  ['aggregation.md#max', '{%=max([10, 30, 20])%}', '30'],
  ['aggregation.md#min', '{%=min([10, 30, 20]) %}', '10'],
  ['aggregation.md#sum', '{%=sum([10, 30, 20])%}', '60'],
  // objects.md
  ['objects.md#isNull', '{%= isNull(profile.person.middleName) %}', 'true'],
  ['objects.md#isNotNull', '{%= isNotNull(profile.person.name) %}', 'true'],
  // arithmetic-functions.md
  ['arithmetic-functions.md#add', '{%= profile.product1.price + profile.product2.price %}', '32.5'],
  [
    'arithmetic-functions.md#multiply',
    '{%= profile.product1.inventory * profile.product1.price %}',
    '120',
  ],
  [
    'arithmetic-functions.md#substract',
    '{%= profile.product1.price - profile.product2.price %}',
    '-0.5',
  ],
  [
    'arithmetic-functions.md#divide',
    '{%= profile.totalProduct.price / profile.totalProduct.sold %}',
    '12.5',
  ],
  ['arithmetic-functions.md#remainder', '{%= profile.person.age % 5 = 0 %}', 'true'],
  // operators.md
  [
    'operators.md#and',
    '{%= profile.homeAddress.countryCode = "FR" and profile.person.birthYear = 1985 %}',
    'true',
  ],
  [
    'operators.md#or',
    '{%= profile.homeAddress.countryCode = "US" or profile.person.birthYear = 1985 %}',
    'true',
  ],
  ['operators.md#equals', '{%= profile.homeAddress.countryCode = "FR" %}', 'true'],
  ['operators.md#notequal', '{%= profile.homeAddress.countryCode != "FR" %}', 'false'],
  ['operators.md#greaterthan', '{%= profile.person.birthYear > 1970 %}', 'true'],
  ['operators.md#greaterthanorequal', '{%= profile.person.birthYear >= 1985 %}', 'true'],
  ['operators.md#lessthan', '{%= profile.person.birthYear < 2000 %}', 'true'],
  ['operators.md#lessthanorequal', '{%= profile.person.birthYear <= 1984 %}', 'false'],
  ['operators.md#amp-substr', '{%= ampSubstr("Hello World", 0, 5) %}', 'Hello'],
  ['operators.md#compare-to', '{%= compareTo("apple", "banana") < 0 %}', 'true'],
  // helpers.md
  [
    'helpers.md#if-function',
    '{%#if contains(profile.personalEmail.address, ".edu")%}academia{%else if contains(profile.personalEmail.address, ".example")%}example{%else%}users{%/if%}',
    'example',
  ],
  [
    'helpers.md#unless',
    '{%#unless endsWith(profile.personalEmail.address, ".edu")%}Some Normal Content{%else%}Some edu specific content{%/unless%}',
    'Some Normal Content',
  ],
  [
    'helpers.md#each',
    '{{#each profile.orders}}<li>{{this.id}}</li>{{/each}}',
    '<li>A1</li><li>A2</li><li>A3</li>',
  ],
  [
    'helpers.md#with',
    '{{#with profile.person.name}}{{this.firstName}} {{this.lastName}}{{/with}}',
    'John Doe',
  ],
  [
    'helpers.md#let',
    '{% let sum = 0%}{{#each profile.orders as |p|}}{%#if p.price>15 and p.price<100%}{%let sum = sum + p.price %}{%/if%}{{/each}}{{sum}}',
    '50',
  ],
  // personalization-syntax.md and helpers.md
  ['personalization-syntax.md', '{{profile.person.name.firstName}}', 'John'],
  [
    'personalization-syntax.md',
    '{{context.journey.events.`1697323153`.timestamp}}',
    '2026-03-18T14:30:00Z',
  ],
  [
    'personalization-syntax.md',
    '{%#if profile.segmentMembership.get("ups").get("aud-1").status = "existing"%}member{%else%}not{%/if%}',
    'member',
  ],
  ['helpers.md#fallback', '{%= profile.person.name.middleName ?: "there" %}', 'there'],
  ['helpers.md#fallback', '{%= profile.mobilePhone.number ?: "no phone" %}', 'no phone'],
  [
    'helpers.md#if-function',
    '{%#if profile.homeAddress.countryCode = "FR"%}Bonjour{%else%}Hello{%/if%}',
    'Bonjour',
  ],
  ['helpers.md#unless', '{%#unless profile.person.vip%}Join us{%/unless%}', 'Join us'],
  [
    'helpers.md#with',
    '{{#with profile.person.name as |name|}}Hi {{name.firstName}}{{/with}}',
    'Hi John',
  ],
  [
    'helpers.md#let',
    '{% let total = 0 %}{{#each profile.orders as |o|}}{% let total = total + o.price %}{{/each}}{{total}}',
    '60',
  ],
];

describe('personalization functions: documented examples', () => {
  test(`there are at least 80 cases (${cases.length})`, () => {
    assert.ok(cases.length >= 80);
  });
  for (const [page, template, expected] of cases) {
    test(`${page}: ${template}`, () => {
      const r = renderInline(template, data, NOW);
      if (!r.ok) assert.fail(`${page}: ${JSON.stringify(r.error)}`);
      assert.equal(r.output, expected, page);
    });
  }
});
