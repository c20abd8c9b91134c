/**
 * What a message can mean to the bot. The language layer reads every free-text message into one of these, with a
 * confidence; the engine decides what to do with it. `complaint` is the default for any message with substance
 * that is not clearly something else: a story is never answered with "not understood".
 */
export const INTENTS = [
  'complaint', // a complaint, grievance, tip-off or request for help, told as a story ("ไฟถนนดับหน้าบ้านมา 3 วัน")
  'track', // where does my case stand ("เรื่องที่แจ้งไปถึงไหนแล้ว", a tracking number)
  'my_cases', // list my cases
  'add_info', // add information or photos to my case
  'withdraw', // withdraw my case
  'officer', // talk to a person
  'question', // a question the FAQ may answer ("ศูนย์เปิดกี่โมง", "ต้องใช้เอกสารอะไร")
  'my_data', // my personal data: a copy, deletion (PDPA)
  'greeting', // hello
  'thanks', // thanks, or goodbye
  'smalltalk', // small talk, laughter ("555"), emoji-only, "ok"
  'insult', // abuse aimed at the bot or the center
  'royal', // royal petitions and matters of the monarchy: always an officer, never filed
  'gibberish', // truly unintelligible: key mashing, stray characters
] as const;
export type Intent = (typeof INTENTS)[number];

/**
 * What a complaint is about. Ids are stable codes (stored, counted in reports); the words people read live in
 * subjects.ts. `other` is what no subject fits.
 */
export const SUBJECTS = [
  'road', // roads, potholes, bridges, footpaths
  'electricity', // power cuts, street lights, poles and wires
  'water_supply', // tap water: none, dirty, pressure, bills
  'flooding', // floods, blocked drains, canals
  'waste', // rubbish not collected, dumping, burning rubbish
  'noise', // noise: karaoke, parties, factories, motorcycles
  'pollution', // smoke, dust, smells, burning fields, wastewater
  'land', // land rights, boundaries, title deeds, encroachment
  'debt', // debts, loan sharks, debt collectors
  'labour', // wages, employers, dismissal, foreign workers
  'welfare', // welfare payments: elderly, disability, state welfare card, farmers' aid
  'drugs', // drugs, dealers
  'gambling', // gambling dens, online gambling, illegal lottery
  'official_conduct', // officials' conduct: bribes, rudeness, neglect, corruption
  'fraud', // scams, online fraud, consumer cheating
  'animals', // stray dogs, livestock, animal nuisance
  'neighbours', // disputes between neighbours, encroaching buildings, trees
  'traffic', // illegal parking, dangerous driving, street vendors on the road
  'agriculture', // crops, irrigation, farm prices, pests
  'public_health', // hospitals, health rights, disease outbreaks, mosquitoes
  'education', // schools, students, fees
  'safety', // crime, violence, dangerous buildings, fire risk
  'other',
] as const;
export type Subject = (typeof SUBJECTS)[number];
