// The demo program's made-up world: markets with their cities and people's names, company and customer names.

export type Market = { country: string; region: string[]; legal: string; cities: string[]; first: string[]; last: string[] }

/** countries partners sit in; `region` is what a partner there usually serves */
export const MARKETS: Market[] = [
  { country: 'DE', region: ['DE', 'AT', 'CH'], legal: 'GmbH', cities: ['Berlin', 'Hamburg', 'Munich', 'Cologne', 'Frankfurt', 'Stuttgart', 'Leipzig', 'Düsseldorf'],
    first: ['Jonas', 'Lena', 'Felix', 'Anna', 'Lukas', 'Sophie', 'Tobias', 'Katrin'], last: ['Weber', 'Fischer', 'Schneider', 'Becker', 'Hoffmann', 'Wagner', 'Krüger', 'Vogel'] },
  { country: 'AT', region: ['AT', 'DE'], legal: 'GmbH', cities: ['Vienna', 'Graz', 'Linz', 'Salzburg'],
    first: ['Florian', 'Julia', 'Stefan', 'Eva'], last: ['Gruber', 'Huber', 'Bauer', 'Pichler'] },
  { country: 'CH', region: ['CH'], legal: 'AG', cities: ['Zurich', 'Basel', 'Bern', 'Lausanne'],
    first: ['Reto', 'Nadine', 'Urs', 'Sabine'], last: ['Meier', 'Keller', 'Brunner', 'Frei'] },
  { country: 'UK', region: ['UK', 'IE'], legal: 'Ltd', cities: ['London', 'Manchester', 'Leeds', 'Bristol', 'Birmingham', 'Edinburgh', 'Glasgow', 'Cardiff'],
    first: ['Oliver', 'Emily', 'James', 'Charlotte', 'Harry', 'Amelia', 'George', 'Priya'], last: ['Clarke', 'Hughes', 'Patel', 'Walker', 'Turner', 'Wright', 'Evans', 'Shaw'] },
  { country: 'IE', region: ['IE', 'UK'], legal: 'Ltd', cities: ['Dublin', 'Cork', 'Galway'],
    first: ['Ciarán', 'Aoife', 'Niamh', 'Conor'], last: ['Byrne', 'Murphy', 'Kelly', 'Walsh'] },
  { country: 'FR', region: ['FR', 'BE'], legal: 'SAS', cities: ['Paris', 'Lyon', 'Lille', 'Toulouse', 'Nantes', 'Bordeaux'],
    first: ['Camille', 'Julien', 'Chloé', 'Mathieu', 'Élodie', 'Antoine'], last: ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Lefèvre'] },
  { country: 'NL', region: ['NL', 'BE'], legal: 'B.V.', cities: ['Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven'],
    first: ['Daan', 'Sanne', 'Thijs', 'Fleur'], last: ['de Vries', 'Jansen', 'Bakker', 'Visser'] },
  { country: 'BE', region: ['BE', 'NL', 'FR'], legal: 'BV', cities: ['Brussels', 'Antwerp', 'Ghent'],
    first: ['Wout', 'Lotte', 'Arne', 'Elise'], last: ['Peeters', 'Janssens', 'Maes', 'Claes'] },
  { country: 'SE', region: ['SE', 'NO', 'DK'], legal: 'AB', cities: ['Stockholm', 'Gothenburg', 'Malmö'],
    first: ['Erik', 'Ingrid', 'Oskar', 'Maja'], last: ['Johansson', 'Nilsson', 'Berg', 'Holm'] },
  { country: 'DK', region: ['DK', 'SE'], legal: 'ApS', cities: ['Copenhagen', 'Aarhus'],
    first: ['Mads', 'Freja', 'Rasmus', 'Ida'], last: ['Nielsen', 'Hansen', 'Pedersen', 'Larsen'] },
  { country: 'NO', region: ['NO'], legal: 'AS', cities: ['Oslo', 'Bergen'],
    first: ['Henrik', 'Nora', 'Sindre', 'Kari'], last: ['Haugen', 'Solberg', 'Dahl', 'Lie'] },
  { country: 'ES', region: ['ES'], legal: 'S.L.', cities: ['Madrid', 'Barcelona', 'Valencia', 'Seville'],
    first: ['Javier', 'Lucía', 'Pablo', 'Marta'], last: ['García', 'Fernández', 'López', 'Navarro'] },
  { country: 'IT', region: ['IT'], legal: 'S.r.l.', cities: ['Milan', 'Rome', 'Turin', 'Bologna'],
    first: ['Marco', 'Giulia', 'Luca', 'Chiara'], last: ['Rossi', 'Bianchi', 'Romano', 'Colombo'] },
  { country: 'PL', region: ['PL'], legal: 'Sp. z o.o.', cities: ['Warsaw', 'Kraków', 'Wrocław', 'Gdańsk'],
    first: ['Piotr', 'Agnieszka', 'Tomasz', 'Katarzyna'], last: ['Nowak', 'Wójcik', 'Kaczmarek', 'Mazur'] },
  { country: 'US', region: ['US'], legal: 'Inc.', cities: ['Chicago', 'Austin', 'Denver', 'Boston', 'Seattle', 'Atlanta'],
    first: ['Michael', 'Jennifer', 'David', 'Ashley', 'Kevin', 'Rachel'], last: ['Johnson', 'Miller', 'Davis', 'Garcia', 'Anderson', 'Thompson'] },
  { country: 'CA', region: ['CA', 'US'], legal: 'Inc.', cities: ['Toronto', 'Vancouver', 'Montreal', 'Calgary'],
    first: ['Ryan', 'Megan', 'Alexandre', 'Émilie'], last: ['Tremblay', 'Roy', 'Campbell', 'MacDonald'] },
]

/** first words of partner company names, one per partner */
export const COMPANY_WORDS = [
  'Alder', 'Ashgrove', 'Beacon', 'Bluepeak', 'Bramble', 'Brightwater', 'Castlegate', 'Cobalt', 'Copperfield', 'Crestline', 'Driftwood', 'Elmstone',
  'Ember', 'Fairhaven', 'Fernhill', 'Fjordline', 'Foxglove', 'Glenmoor', 'Granite', 'Greyfield', 'Harbourside', 'Hawthorn', 'Heron', 'Highmoor',
  'Ironbridge', 'Juniper', 'Kestrel', 'Kingsway', 'Lakeshore', 'Larchmont', 'Lindenhof', 'Lockhart', 'Lumen', 'Maplewood', 'Marlow', 'Meridian',
  'Millbrook', 'Oakridge', 'Orchard', 'Pinecrest', 'Quayside', 'Redwood', 'Riverbend', 'Rosewood', 'Saltmarsh', 'Silverbirch', 'Skyline', 'Southbank',
  'Stonebridge', 'Summit', 'Tamarack', 'Thornbury', 'Tidewater', 'Trident', 'Upland', 'Valewood', 'Westbrook', 'Whitecliff', 'Willowmere', 'Yarrow',
  'Zephyr', 'Norland',
]

/** second words by partner type */
export const COMPANY_KINDS: Record<'reseller' | 'msp' | 'var' | 'referral', string[]> = {
  reseller: ['Computers', 'Business IT', 'Tech', 'IT Supply'],
  msp: ['Managed Services', 'IT Services', 'Cloud Services', 'Managed IT'],
  var: ['Systems', 'Technologies', 'Networks', 'Integration'],
  referral: ['Consulting', 'Advisory', 'Digital', 'Partners'],
}

/** customers: a family name and a line of business */
export const CUSTOMER_NAMES = [
  'Aldridge', 'Baxter', 'Carver', 'Delmont', 'Everly', 'Fenwick', 'Garland', 'Holloway', 'Irving', 'Jasper', 'Kendall', 'Langley', 'Mercer',
  'Norbury', 'Oakes', 'Pemberton', 'Quincy', 'Radcliffe', 'Sterling', 'Tilbury', 'Underwood', 'Vance', 'Whitmore', 'Yardley', 'Ashby', 'Brennan',
  'Calloway', 'Draycott', 'Ellison', 'Fairbairn',
]
export const CUSTOMER_TRADES = [
  'Logistics', 'Dental Group', 'Law', 'Manufacturing', 'Foods', 'Clinic', 'Architects', 'Insurance', 'Hotels', 'Engineering', 'Retail', 'Schools', 'Pharma', 'Freight',
]

/** a name as a domain label: lower case ASCII, words joined by hyphens */
export const slug = (name: string) =>
  name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
