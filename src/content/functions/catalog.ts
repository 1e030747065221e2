// The personalization functions as the editor shows them: name, category, signature, help and an
// example (the examples follow Adobe's function reference, as test/content/functions-conformance.test.ts
// does). Written once here; test/content/functions-catalog.test.ts checks it names every function of
// `allFunctions` (and nothing else), so the catalog cannot drift from what templates may call.
// Pure data: no I/O.

export type HelperCategory =
  | 'string'
  | 'date'
  | 'math'
  | 'array'
  | 'aggregation'
  | 'map'
  | 'object'
  | 'audience'
  | 'block'
  | 'fragment';

export interface HelperEntry {
  readonly name: string;
  readonly category: HelperCategory;
  /** As written in the `{%= %}` form, with argument names and types. */
  readonly signature: string;
  readonly help: string;
  readonly example: string;
  /** A Handlebars block helper ({{#each}}…{{/each}}), not a function. */
  readonly block?: boolean;
}

type Row = readonly [name: string, signature: string, help: string, example: string];

const D = 'stringToDate("2024-11-01T17:19:51Z")';

const strings: readonly Row[] = [
  [
    'camelCase',
    'camelCase(text: string): string',
    'Capitalizes the first letter of each word.',
    '{%= camelCase(profile.homeAddress.street) %}',
  ],
  [
    'titleCase',
    'titleCase(text: string): string',
    'Capitalizes the first letter of each word.',
    '{%= titleCase(profile.homeAddress.street) %}',
  ],
  [
    'charCodeAt',
    'charCodeAt(text: string, index: integer): integer',
    'The UTF-16 code of the character at index.',
    '{%= charCodeAt("some", 1) %}',
  ],
  [
    'concat',
    'concat(text: string, ...more: string): string',
    'Joins its arguments into one string.',
    '{%= concat(profile.person.name.firstName, " ", profile.person.name.lastName) %}',
  ],
  [
    'contains',
    'contains(text: string, search: string, caseSensitive?: boolean): boolean',
    'True when text contains search (case-sensitive unless the third argument is false).',
    '{%= contains(profile.person.emailAddress, "2010@gm") %}',
  ],
  [
    'doesNotContain',
    'doesNotContain(text: string, search: string, caseSensitive?: boolean): boolean',
    'True when text does not contain search.',
    '{%= doesNotContain(profile.person.emailAddress, "2010@gm") %}',
  ],
  [
    'startsWith',
    'startsWith(text: string, prefix: string, caseSensitive?: boolean): boolean',
    'True when text starts with prefix.',
    '{%= startsWith(profile.person.name.firstName, "Jo") %}',
  ],
  [
    'doesNotStartWith',
    'doesNotStartWith(text: string, prefix: string, caseSensitive?: boolean): boolean',
    'True when text does not start with prefix.',
    '{%= doesNotStartWith(profile.person.name.firstName, "Joe") %}',
  ],
  [
    'endsWith',
    'endsWith(text: string, suffix: string, caseSensitive?: boolean): boolean',
    'True when text ends with suffix.',
    '{%= endsWith(profile.person.emailAddress, ".com") %}',
  ],
  [
    'doesNotEndWith',
    'doesNotEndWith(text: string, suffix: string, caseSensitive?: boolean): boolean',
    'True when text does not end with suffix.',
    '{%= doesNotEndWith(profile.person.emailAddress, ".com") %}',
  ],
  [
    'encode64',
    'encode64(text: string): string',
    'Base64 of the text (UTF-8).',
    '{%= encode64("hello") %}',
  ],
  [
    'decode64',
    'decode64(text: string): string',
    'Decodes Base64; text that is not Base64 is returned as is.',
    '{%= decode64("aGVsbG8=") %}',
  ],
  [
    'equals',
    'equals(a: string, b: string): boolean',
    'True when both strings are equal (case-sensitive).',
    '{%= equals(profile.person.name.firstName, "John") %}',
  ],
  [
    'equalsIgnoreCase',
    'equalsIgnoreCase(a: string, b: string): boolean',
    'True when both strings are equal, ignoring case.',
    '{%= equalsIgnoreCase(profile.person.name.firstName, "JOHN") %}',
  ],
  [
    'equalsAnyIgnoreCase',
    'equalsAnyIgnoreCase(text: string, ...candidates: string): boolean',
    'True when text equals one of up to 10 candidates, ignoring case.',
    '{%= equalsAnyIgnoreCase(profile.loyalty.tier, "gold", "platinum") %}',
  ],
  [
    'notEqualTo',
    'notEqualTo(a: string, b: string): boolean',
    'True when the strings differ (case-sensitive).',
    '{%= notEqualTo(profile.person.name.firstName, "John") %}',
  ],
  [
    'notEqualWithIgnoreCase',
    'notEqualWithIgnoreCase(a: string, b: string): boolean',
    'True when the strings differ, ignoring case.',
    '{%= notEqualWithIgnoreCase(profile.person.name.firstName, "john") %}',
  ],
  [
    'extractEmailDomain',
    'extractEmailDomain(email: string): string',
    'The domain of an email address.',
    '{%= extractEmailDomain(profile.personalEmail.address) %}',
  ],
  [
    'formatCurrency',
    'formatCurrency(amount: number, locale: string): string',
    'The amount as currency of the locale (en_GB gives pounds).',
    '{%= formatCurrency(56, "en_GB") %}',
  ],
  [
    'getUrlHost',
    'getUrlHost(url: string): string',
    'The host of a URL.',
    '{%= getUrlHost("https://www.myurl.com/contact") %}',
  ],
  [
    'getUrlPath',
    'getUrlPath(url: string): string',
    'The path of a URL.',
    '{%= getUrlPath("https://www.myurl.com/contact.html") %}',
  ],
  [
    'getUrlProtocol',
    'getUrlProtocol(url: string): string',
    'The protocol (scheme) of a URL.',
    '{%= getUrlProtocol("https://www.myurl.com/contact.html") %}',
  ],
  [
    'getUrlFragment',
    'getUrlFragment(url: string): string',
    'The fragment (after #) of a URL.',
    '{%= getUrlFragment("https://www.myurl.com/contact.html#faq") %}',
  ],
  [
    'appendQueryParams',
    'appendQueryParams(url: string, name: string, value: string): string',
    'The URL with a query parameter added (encoded).',
    '{%= appendQueryParams("https://example.com/page", "utm_source", "email") %}',
  ],
  [
    'indexOf',
    'indexOf(text: string, search: string): integer',
    'Position of the first occurrence of search, or -1.',
    '{%= indexOf("hello world", "world") %}',
  ],
  [
    'lastIndexOf',
    'lastIndexOf(text: string, search: string): integer',
    'Position of the last occurrence of search, or -1.',
    '{%= lastIndexOf("hello world", "o") %}',
  ],
  [
    'isEmpty',
    'isEmpty(text: string): boolean',
    'True when the value is missing or empty.',
    '{%= isEmpty(profile.mobilePhone.number) %}',
  ],
  [
    'isNotEmpty',
    'isNotEmpty(text: string): boolean',
    'True when the value is present and not empty.',
    '{%= isNotEmpty(profile.mobilePhone.number) %}',
  ],
  [
    'join',
    'join(list: array, separator: string): string',
    'The items of a list joined with a separator.',
    '{%= join(profile.person.favoriteColors, ", ") %}',
  ],
  [
    'leftTrim',
    'leftTrim(text: string): string',
    'Removes leading white space.',
    '{%= leftTrim("  hi  ") %}',
  ],
  [
    'rightTrim',
    'rightTrim(text: string): string',
    'Removes trailing white space.',
    '{%= rightTrim("  hi  ") %}',
  ],
  [
    'trim',
    'trim(text: string): string',
    'Removes leading and trailing white space.',
    '{%= trim("  hi  ") %}',
  ],
  [
    'length',
    'length(text: string): integer',
    'The number of characters.',
    '{%= length(profile.homeAddress.city) %}',
  ],
  [
    'like',
    'like(text: string, pattern: string): boolean',
    'SQL-like match: % any characters, _ one character.',
    '{%= like(profile.homeAddress.city, "%es%") %}',
  ],
  [
    'lowerCase',
    'lowerCase(text: string): string',
    'The text in lower case.',
    '{{lowerCase profile.person.name.firstName}}',
  ],
  [
    'upperCase',
    'upperCase(text: string): string',
    'The text in upper case.',
    '{{upperCase profile.person.name.lastName}}',
  ],
  [
    'matches',
    'matches(text: string, regex: string): boolean',
    'True when the regular expression matches the text.',
    '{%= matches(profile.person.name.firstName, "(?i)^john") %}',
  ],
  [
    'mask',
    'mask(text: string, keepStart: integer, keepEnd: integer): string',
    'Replaces the middle characters with X, keeping some at each end.',
    '{%= mask("123456789", 1, 2) %}',
  ],
  ['md5', 'md5(text: string): string', 'MD5 hash (hex).', '{%= md5("hello world") %}'],
  [
    'sha256',
    'sha256(text: string): string',
    'SHA-256 hash (hex).',
    '{%= sha256(profile.personalEmail.address) %}',
  ],
  [
    'regexGroup',
    'regexGroup(text: string, regex: string, group: integer): string',
    'The given capture group of the first match.',
    '{%= regexGroup(profile.personalEmail.address, "@(\\\\w+)", 1) %}',
  ],
  [
    'replace',
    'replace(text: string, search: string, replacement: string): string',
    'Replaces the first occurrence of search.',
    '{%= replace("Hello John", "John", "Mark") %}',
  ],
  [
    'replaceAll',
    'replaceAll(text: string, regex: string, replacement: string): string',
    'Replaces every match of a regular expression.',
    '{%= replaceAll("Hello World", "World", "AJO") %}',
  ],
  [
    'split',
    'split(text: string, separator: string): array',
    'Splits text into a list.',
    '{%= count(split("a,b,c", ",")) %}',
  ],
  [
    'stringToInteger',
    'stringToInteger(text: string): integer',
    'Parses an integer.',
    '{%= stringToInteger("42") %}',
  ],
  [
    'string_to_integer',
    'string_to_integer(text: string): integer',
    'Parses an integer (same as stringToInteger).',
    '{%= string_to_integer("42") %}',
  ],
  [
    'stringToNumber',
    'stringToNumber(text: string): number',
    'Parses a number; text that is not a number is returned as is.',
    '{%= stringToNumber("3.5") %}',
  ],
  [
    'substr',
    'substr(text: string, start: integer, end?: integer): string',
    'The characters from start up to (not including) end.',
    '{%= substr("Luma Retail", 0, 4) %}',
  ],
  ['toBool', 'toBool(text: string): boolean', 'Parses a boolean.', '{%= toBool("true") %}'],
  [
    'ampSubstr',
    'ampSubstr(text: string, start: integer, length: integer): string',
    'length characters from start.',
    '{%= ampSubstr("Hello World", 0, 5) %}',
  ],
  [
    'compareTo',
    'compareTo(a: string, b: string): integer',
    'Negative, zero or positive as a sorts before, with or after b.',
    '{%= compareTo("apple", "banana") < 0 %}',
  ],
  [
    'urlEncode',
    'urlEncode(text: string): string',
    'Encodes text for a URL query (space as +).',
    '{%= urlEncode("a b&c") %}',
  ],
  [
    'urlDecode',
    'urlDecode(text: string): string',
    'Decodes URL-encoded text.',
    '{%= urlDecode("a+b%26c") %}',
  ],
];

const dates: readonly Row[] = [
  [
    'stringToDate',
    'stringToDate(text: string, pattern?: string): dateTime',
    'Parses a date-time (ISO-8601, or with a Java pattern).',
    '{%= stringToDate("2023-01-10 23:13:26", "yyyy-MM-dd HH:mm:ss") %}',
  ],
  [
    'toDateTime',
    'toDateTime(value: string | number, pattern?: string): dateTime',
    'A date-time from a string or epoch milliseconds.',
    '{%= toDateTime("2024-11-01T17:19:51Z") %}',
  ],
  [
    'toDateTimeOnly',
    'toDateTimeOnly(value: string | dateTime): dateTimeOnly',
    'A date-time without zone.',
    '{%= toDateTimeOnly("2024-11-01T17:19:51") %}',
  ],
  ['toUTC', 'toUTC(date: dateTime): dateTime', 'The date-time in UTC.', `{%= toUTC(${D}) %}`],
  [
    'currentTimeInMillis',
    'currentTimeInMillis(): integer',
    'The current time in epoch milliseconds.',
    '{%= currentTimeInMillis() %}',
  ],
  [
    'getCurrentZonedDateTime',
    'getCurrentZonedDateTime(): dateTime',
    'The current date-time.',
    '{%= formatDate(getCurrentZonedDateTime(), "MM/dd/yyyy") %}',
  ],
  [
    'convertZonedDateTime',
    'convertZonedDateTime(date: dateTime, zone: string): dateTime',
    'The date-time in another time zone.',
    `{%= convertZonedDateTime(${D}, "Europe/Paris") %}`,
  ],
  [
    'addSeconds',
    'addSeconds(date: dateTime, seconds: integer): dateTime',
    'Adds seconds (negative to subtract).',
    `{%= addSeconds(${D}, 10) %}`,
  ],
  [
    'addMinutes',
    'addMinutes(date: dateTime, minutes: integer): dateTime',
    'Adds minutes.',
    `{%= addMinutes(${D}, 10) %}`,
  ],
  [
    'addHours',
    'addHours(date: dateTime, hours: integer): dateTime',
    'Adds hours.',
    `{%= addHours(${D}, 1) %}`,
  ],
  [
    'addDays',
    'addDays(date: dateTime, days: integer): dateTime',
    'Adds days.',
    `{%= addDays(${D}, 10) %}`,
  ],
  [
    'addMonths',
    'addMonths(date: dateTime, months: integer): dateTime',
    'Adds months.',
    `{%= addMonths(${D}, 2) %}`,
  ],
  [
    'addYears',
    'addYears(date: dateTime, years: integer): dateTime',
    'Adds years.',
    `{%= addYears(${D}, 2) %}`,
  ],
  [
    'age',
    'age(birthDate: dateTime): integer',
    'Age in whole years at the time of rendering.',
    '{%= age(profile.person.birthDate) %}',
  ],
  [
    'ageInDays',
    'ageInDays(date: dateTime): integer',
    'Days since the date.',
    `{%= ageInDays(${D}) %}`,
  ],
  [
    'ageInMonths',
    'ageInMonths(date: dateTime): integer',
    'Months since the date.',
    `{%= ageInMonths(${D}) %}`,
  ],
  [
    'compareDates',
    'compareDates(a: dateTime, b: dateTime): integer',
    '-1, 0 or 1 as a is before, equal to or after b.',
    `{%= compareDates(${D}, getCurrentZonedDateTime()) %}`,
  ],
  [
    'dateDiff',
    'dateDiff(a: dateTime, b: dateTime): integer',
    'Days from a to b.',
    `{%= dateDiff(getCurrentZonedDateTime(), ${D}) %}`,
  ],
  [
    'dateBetween',
    'dateBetween(date: dateTime, start: dateTime, end: dateTime): boolean',
    'True when date is between start and end.',
    `{%= dateBetween(getCurrentZonedDateTime(), ${D}, addDays(${D}, 30)) %}`,
  ],
  [
    'dayOfMonth',
    'dayOfMonth(date: dateTime): integer',
    'Day of the month (1-31).',
    `{%= dayOfMonth(${D}) %}`,
  ],
  [
    'dayOfWeek',
    'dayOfWeek(date: dateTime): integer',
    'Day of the week (1 Monday to 7 Sunday).',
    `{%= dayOfWeek(${D}) %}`,
  ],
  [
    'dayOfYear',
    'dayOfYear(date: dateTime): integer',
    'Day of the year (1-366).',
    `{%= dayOfYear(${D}) %}`,
  ],
  [
    'weekOfYear',
    'weekOfYear(date: dateTime): integer',
    'ISO week of the year.',
    `{%= weekOfYear(${D}) %}`,
  ],
  [
    'diffInSeconds',
    'diffInSeconds(a: dateTime, b: dateTime): integer',
    'Seconds between the dates (a - b).',
    `{%= diffInSeconds(${D}, addSeconds(${D}, -50)) %}`,
  ],
  [
    'diffInMinutes',
    'diffInMinutes(a: dateTime, b: dateTime): integer',
    'Minutes between the dates (a - b).',
    `{%= diffInMinutes(${D}, addHours(${D}, -1)) %}`,
  ],
  [
    'diffInHours',
    'diffInHours(a: dateTime, b: dateTime): integer',
    'Hours between the dates (a - b).',
    `{%= diffInHours(${D}, addHours(${D}, -10)) %}`,
  ],
  [
    'diffInDays',
    'diffInDays(a: dateTime, b: dateTime): integer',
    'Days between the dates (a - b).',
    `{%= diffInDays(getCurrentZonedDateTime(), ${D}) %}`,
  ],
  [
    'diffInMonths',
    'diffInMonths(a: dateTime, b: dateTime): integer',
    'Months between the dates (a - b).',
    `{%= diffInMonths(getCurrentZonedDateTime(), ${D}) %}`,
  ],
  [
    'diffInYears',
    'diffInYears(a: dateTime, b: dateTime): integer',
    'Years between the dates (a - b).',
    `{%= diffInYears(getCurrentZonedDateTime(), ${D}) %}`,
  ],
  [
    'extractHours',
    'extractHours(date: dateTime): integer',
    'The hour (0-23).',
    `{%= extractHours(${D}) %}`,
  ],
  [
    'extractMinutes',
    'extractMinutes(date: dateTime): integer',
    'The minute (0-59).',
    `{%= extractMinutes(${D}) %}`,
  ],
  [
    'extractSeconds',
    'extractSeconds(date: dateTime): integer',
    'The second (0-59).',
    `{%= extractSeconds(${D}) %}`,
  ],
  [
    'extractMonth',
    'extractMonth(date: dateTime): integer',
    'The month (1-12).',
    `{%= extractMonth(${D}) %}`,
  ],
  [
    'extractMonths',
    'extractMonths(date: dateTime): integer',
    'The month (1-12); same as extractMonth.',
    `{%= extractMonths(${D}) %}`,
  ],
  ['extractYear', 'extractYear(date: dateTime): integer', 'The year.', `{%= extractYear(${D}) %}`],
  [
    'setDays',
    'setDays(date: dateTime, day: integer): dateTime',
    'The date with its day of the month set.',
    `{%= setDays(${D}, 1) %}`,
  ],
  [
    'setHours',
    'setHours(date: dateTime, hour: integer): dateTime',
    'The date with its hour set.',
    `{%= setHours(${D}, 9) %}`,
  ],
  [
    'truncateToStartOfDay',
    'truncateToStartOfDay(date: dateTime): dateTime',
    'Midnight of the date.',
    `{%= truncateToStartOfDay(${D}) %}`,
  ],
  [
    'truncateToStartOfWeek',
    'truncateToStartOfWeek(date: dateTime): dateTime',
    'Monday midnight of the week.',
    `{%= truncateToStartOfWeek(${D}) %}`,
  ],
  [
    'truncateToStartOfQuarter',
    'truncateToStartOfQuarter(date: dateTime): dateTime',
    'First day of the quarter.',
    `{%= truncateToStartOfQuarter(${D}) %}`,
  ],
  [
    'truncateToStartOfYear',
    'truncateToStartOfYear(date: dateTime): dateTime',
    'First day of the year.',
    `{%= truncateToStartOfYear(${D}) %}`,
  ],
  [
    'formatDate',
    'formatDate(date: dateTime, pattern: string, locale?: string): string',
    'Formats a date with a Java pattern (EEEE, MMMM, dd, yyyy, HH:mm…), optionally in a locale such as fr_FR.',
    '{%= formatDate(getCurrentZonedDateTime(), "EEEE dd MMMM yyyy", "fr_FR") %}',
  ],
];

const maths: readonly Row[] = [
  ['absolute', 'absolute(n: number): number', 'The absolute value.', '{%= absolute(-5) %}'],
  ['roundDown', 'roundDown(n: number): integer', 'Rounds down.', '{%= roundDown(3.7) %}'],
  ['roundUp', 'roundUp(n: number): integer', 'Rounds up.', '{%= roundUp(3.2) %}'],
  ['round', 'round(n: number): integer', 'Rounds to the nearest integer.', '{%= round(3.5) %}'],
  [
    'toHexString',
    'toHexString(n: integer): string',
    'Hexadecimal digits.',
    '{%= toHexString(158) %}',
  ],
  ['toInt', 'toInt(n: number): integer', 'The integer part.', '{%= toInt(42.6) %}'],
  [
    'toPercentage',
    'toPercentage(n: number): string',
    'A fraction as a percentage.',
    '{%= toPercentage(0.25) %}',
  ],
  [
    'toPrecision',
    'toPrecision(n: number, digits: integer): string',
    'The number with that many decimal places.',
    '{%= toPrecision(3.14159, 2) %}',
  ],
  ['toString', 'toString(n: number): string', 'The number as text.', '{%= toString(12) %}'],
  [
    'formatNumber',
    'formatNumber(n: number, locale: string): string',
    'The number formatted for a locale.',
    '{%= formatNumber(1234.5, "en_US") %}',
  ],
  ['random', 'random(): number', 'A random number from 0 to 1.', '{%= random() %}'],
];

const arrays: readonly Row[] = [
  [
    'distinct',
    'distinct(list: array): array',
    'The list without duplicates.',
    '{%= join(distinct([1, 2, 1, 3]), ",") %}',
  ],
  [
    'distinctCountWithNull',
    'distinctCountWithNull(list: array): integer',
    'The number of distinct values, null included.',
    '{%= distinctCountWithNull([10, 2, 10, null]) %}',
  ],
  [
    'head',
    'head(list: array): any',
    'The first item.',
    '{%= head(topN(profile.orders, "price", 5)).id %}',
  ],
  [
    'topN',
    'topN(list: array, field: string, n: integer): array',
    'The n items with the highest field value.',
    '{%= count(topN(profile.orders, "price", 2)) %}',
  ],
  [
    'bottomN',
    'bottomN(list: array, field: string, n: integer): array',
    'The n items with the lowest field value.',
    '{%= head(bottomN(profile.orders, "price", 5)).id %}',
  ],
  [
    'in',
    'in(value: any, list: array): boolean',
    'True when the value is in the list.',
    '{%= in(profile.person.birthMonth, [3, 6, 9]) %}',
  ],
  [
    'notIn',
    'notIn(value: any, list: array): boolean',
    'True when the value is present and not in the list.',
    '{%= notIn(profile.person.birthMonth, [3, 6, 9]) %}',
  ],
  [
    'includes',
    'includes(list: array, value: any): boolean',
    'True when the list holds the value.',
    '{%= includes(profile.person.favoriteColors, "red") %}',
  ],
  [
    'intersects',
    'intersects(a: array, b: array): boolean',
    'True when the lists share an item.',
    '{%= intersects(profile.person.favoriteColors, ["red", "blue"]) %}',
  ],
  [
    'subsetOf',
    'subsetOf(a: array, b: array): boolean',
    'True when every item of a is in b.',
    '{%= subsetOf(profile.favoriteCities, profile.visitedCities) %}',
  ],
  [
    'supersetOf',
    'supersetOf(a: array, b: array): boolean',
    'True when a holds every item of b.',
    '{%= supersetOf(profile.eatenFoods, ["sushi", "pizza"]) %}',
  ],
];

const aggregations: readonly Row[] = [
  [
    'average',
    'average(list: array<number>): number',
    'The mean of the numbers.',
    '{%= average(profile.purchases.order.price) %}',
  ],
  [
    'count',
    'count(list: array): integer',
    'The number of items (nulls left out).',
    '{%= count(context.journey.events.LumaPurchaseEvent_Email.productListItems) %}',
  ],
  [
    'countOnlyNull',
    'countOnlyNull(list: array): integer',
    'The number of null items.',
    '{%= countOnlyNull([4, null, 1]) %}',
  ],
  [
    'countWithNull',
    'countWithNull(list: array): integer',
    'The number of items, nulls included.',
    '{%= countWithNull([4, null, 1]) %}',
  ],
  [
    'max',
    'max(list: array<number>): number',
    'The largest number.',
    '{%= max(profile.purchases.order.price) %}',
  ],
  [
    'min',
    'min(list: array<number>): number',
    'The smallest number.',
    '{%= min(profile.purchases.order.price) %}',
  ],
  [
    'sum',
    'sum(list: array<number>): number',
    'The total of the numbers.',
    '{%= sum(context.journey.events.LumaPurchaseEvent_Email.productListItems.priceTotal) %}',
  ],
];

const maps: readonly Row[] = [
  [
    'get',
    'get(map: map, key: string): any',
    'The value at a key of a map.',
    '{%= get(profile.identityMap, "email") %}',
  ],
  [
    'keys',
    'keys(map: map): array<string>',
    'The keys of a map.',
    '{%= keys(profile.identityMap) %}',
  ],
  [
    'values',
    'values(map: map): array',
    'The values of a map.',
    '{%= values(profile.identityMap) %}',
  ],
];

const objects: readonly Row[] = [
  [
    'isNull',
    'isNull(value: any): boolean',
    'True when the value is missing or null.',
    '{%= isNull(profile.person.middleName) %}',
  ],
  [
    'isNotNull',
    'isNotNull(value: any): boolean',
    'True when the value is present.',
    '{%= isNotNull(profile.person.name) %}',
  ],
];

const audiences: readonly Row[] = [
  [
    'inAudience',
    'inAudience(name: string): boolean',
    'True when the profile is in the audience.',
    '{%#if inAudience("Luma - Mobile App Users")%}Get the app offer{%/if%}',
  ],
  [
    'decide',
    'decide(policyId: string): object[]',
    'The offers a decision policy proposes to the profile, best first (id, name, rank, score, text, html, imageAsset, link, attributes); decided and recorded when the message is prepared.',
    '{{#each (decide "spring-sale") as |offer|}}<a href="{{offer.link}}">{{offer.text}}</a>{{/each}}',
  ],
  [
    'landingPageUrl',
    'landingPageUrl(slug: string, subPage?: string): string',
    "A landing page's address, signed for the profile: the page knows who opened it without signing in (a preference centre). Empty in a preview without a profile.",
    '<a href="{{landingPageUrl "email-preferences"}}">Manage preferences</a>',
  ],
  [
    'executionMetadata',
    '{{executionMetadata key="name" value=expression}}',
    'Captures a key-value pair with the message sent (its log entry, feedback and outbound webhooks), for reports and exports; writes nothing in the content. At most 20 keys; a key is letters, digits, _ and - (at most 64); a value at most 255 characters.',
    '{{executionMetadata key="firstName" value=profile.person.name.firstName}}',
  ],
];

const blocks: readonly Row[] = [
  [
    'each',
    '{{#each list as |item|}}…{{/each}}',
    'Repeats its content for each item of a list; @index, @first, @last and @key are available inside.',
    '{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |product|}}{{product.name}} × {{product.quantity}}{{/each}}',
  ],
  [
    'if',
    '{{#if condition}}…{{else if other}}…{{else}}…{{/if}}',
    'Shows its content when the condition is true (in the {% %} form, any expression).',
    '{%#if profile.homeAddress.countryCode = "FR"%}Bonjour{%else%}Hello{%/if%}',
  ],
  [
    'unless',
    '{{#unless condition}}…{{else}}…{{/unless}}',
    'Shows its content when the condition is false.',
    '{%#unless profile.person.vip%}Join us{%/unless%}',
  ],
  [
    'with',
    '{{#with object as |name|}}…{{/with}}',
    'Reads fields of one object under a shorter name.',
    '{{#with profile.person.name as |name|}}Hi {{name.firstName}}{{/with}}',
  ],
];

const fragmentRow: Row = [
  'fragment',
  '{{fragment id=\'ajo:<fragment id>\' field="value"}}',
  'Inserts an expression or visual fragment of the library; its editable fields are set by name.',
  "{{fragment id='ajo:promo-code-fragment' OfferCode=context.journey.actions.LoyaltyService.PromoCode}}",
];

const rows = (category: HelperCategory, list: readonly Row[], block = false): HelperEntry[] =>
  list.map(([name, signature, help, example]) => ({
    name,
    category,
    signature,
    help,
    example,
    ...(block ? { block: true } : {}),
  }));

/** Every personalization function and helper, in the editor's order. */
export const helperCatalog: readonly HelperEntry[] = [
  ...rows('string', strings),
  ...rows('date', dates),
  ...rows('math', maths),
  ...rows('array', arrays),
  ...rows('aggregation', aggregations),
  ...rows('map', maps),
  ...rows('object', objects),
  ...rows('audience', audiences),
  ...rows('block', blocks, true),
  ...rows('fragment', [fragmentRow]),
];

/** Names that are helpers of the template language rather than functions of `allFunctions`. */
export const languageHelpers: ReadonlySet<string> = new Set([
  'each',
  'if',
  'unless',
  'with',
  'fragment',
]);
