/**
 * Word lists for fictional demo data. Operation names follow the police habit of random
 * codewords; people's names are invented combinations and belong to no one.
 */
export const OPERATION_WORDS = [
  'Juniper', 'Kestrel', 'Halyard', 'Marlin', 'Bramble', 'Cobalt', 'Larkspur', 'Tamarind', 'Fathom', 'Quillon',
  'Sorrel', 'Thistle', 'Harrier', 'Wicket', 'Gannet', 'Ironbark', 'Lodestar', 'Mistral', 'Nettle', 'Osprey',
  'Pennant', 'Quarry', 'Rowan', 'Sextant', 'Tansy', 'Umber', 'Vetch', 'Wagtail', 'Yarrow', 'Zircon',
] as const;

export const FIRST_NAMES = [
  'Kieran', 'Dannika', 'Leon', 'Shania', 'Tyrese', 'Mollie', 'Jayden', 'Precious', 'Callum', 'Amira',
  'Reece', 'Skye', 'Darnell', 'Keeley', 'Marek', 'Ionela', 'Tomasz', 'Bethan', 'Rhys', 'Chantelle',
] as const;

export const LAST_NAMES = [
  'Vosper', 'Harkness', 'Okafor-Lyle', 'Brindley', 'Castellan', 'Drummond', 'Ellery-Shaw', 'Fairbairn', 'Gorringe', 'Hollister',
  'Inchbald', 'Jessop', 'Kettleby', 'Lomax', 'Marchetti', 'Nuttall', 'Ormsby', 'Petrakis', 'Quennell', 'Rushworth',
] as const;

/** What each crime category looks like in a profile, with a fitting sub-category. */
export const ACTIVITY_TEMPLATES = {
  ILLEGAL_DRUGS: [
    ['COUNTY_LINES', 'Class A supply on a deal line run from London into market towns.'],
    ['CANNABIS_CULTIVATION', 'Industrial cannabis grows in rented houses and a disused unit.'],
    ['CUCKOOING', 'Vulnerable adults\' flats taken over as dealing bases.'],
  ],
  MODERN_SLAVERY_HUMAN_TRAFFICKING: [
    ['CHILD_CRIMINAL_EXPLOITATION', 'Children groomed and used to carry and sell drugs.'],
    ['LABOUR_EXPLOITATION', 'Workers housed in overcrowded property and paid nothing at car washes.'],
  ],
  MONEY_LAUNDERING: [['CASH_BUSINESSES', 'Proceeds mixed through nail bars and a vape shop.']],
  ILLEGAL_FIREARMS: [['CONVERTED_WEAPONS', 'Converted blank-firing pistols supplied to street groups.']],
  FRAUD: [['COURIER_FRAUD', 'Older people phoned by fake police officers and their cash collected.']],
  CYBER_CRIME: [['RANSOMWARE', 'Affiliate of a ransomware group attacking local businesses.']],
  ORGANISED_ACQUISITIVE_CRIME: [['PLANT_THEFT', 'Theft of plant and machinery from farms and building sites.']],
  ORGANISED_IMMIGRATION_CRIME: [['SMALL_BOATS', 'Facilitating crossings and onward movement of migrants.']],
  BRIBERY_CORRUPTION_SANCTIONS_EVASION: [['SANCTIONS_EVASION', 'Front companies moving goods to a sanctioned buyer.']],
  CHILD_SEXUAL_ABUSE: [['ONLINE_GROOMING', 'Grooming children online and arranging to meet them.']],
} as const;
