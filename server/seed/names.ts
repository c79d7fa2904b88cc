/**
 * New Zealand name pools for demo patients. A patient's given and family names come from one group,
 * so the data reads like a real practice list rather than random mash-ups. The pools keep the
 * spellings people use, macrons (Tāne, Pōmare), apostrophes and glottal stops (O'Connor, Su'a,
 * Lātū) and two-word or hyphenated surnames (Te Rangi, Dela Cruz), because those are exactly what
 * search and display code must cope with.
 */

export interface NameGroup {
  /** What the group is, for people reading the data (not written into the resources). */
  label: string;
  /** Rough share of a New Zealand practice list (2023 census ethnic groups, rounded). */
  weight: number;
  male: readonly string[];
  female: readonly string[];
  family: readonly string[];
  /** Whether people in this group often carry a second given name in the record. */
  middleNames: boolean;
}

const maori: NameGroup = {
  label: 'Māori',
  weight: 17,
  male: ['Tāne', 'Hēmi', 'Wiremu', 'Rāwiri', 'Tamati', 'Nikau', 'Manaia', 'Kauri', 'Rangi', 'Pita', 'Mikaere', 'Hōhepa', 'Matiu', 'Tipene', 'Hone', 'Arapeta', 'Ihaia', 'Tai'],
  female: ['Aroha', 'Mere', 'Anahera', 'Hine', 'Kahurangi', 'Moana', 'Rāwinia', 'Marama', 'Huia', 'Kiri', 'Mereana', 'Atawhai', 'Pania', 'Hana', 'Wikitoria', 'Ākenehi', 'Maia', 'Tia'],
  family: ['Ngata', 'Parata', 'Tūwhare', 'Kereama', 'Whaanga', 'Te Rangi', 'Pōmare', 'Tamihana', 'Wihongi', 'Harawira', 'Karaitiana', 'Kātene', 'Tipene', 'Te Kani', 'Waititi', 'Henare', 'Mahuika', 'Paewai', 'Te Hira', 'Rangihuna', 'Kīngi', 'Te Whata'],
  middleNames: true,
};

const pakeha: NameGroup = {
  label: 'Pākehā / NZ European',
  weight: 55,
  male: ['James', 'Oliver', 'Jack', 'William', 'Thomas', 'Liam', 'Hamish', 'Angus', 'Lachlan', 'Finn', 'George', 'Samuel', 'Daniel', 'Michael', 'Peter', 'Robert', 'Craig', 'Graeme', 'Brendon', 'Stephen'],
  female: ['Charlotte', 'Olivia', 'Isla', 'Amelia', 'Emily', 'Sophie', 'Grace', 'Ruby', 'Lucy', 'Hannah', 'Sarah', 'Rebecca', 'Claire', 'Megan', 'Jane', 'Margaret', 'Helen', 'Kathryn', 'Bridget', 'Fiona'],
  family: ['Smith', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Anderson', 'Thompson', 'Walker', 'Clarke', 'Campbell', 'Stewart', 'Robertson', 'Mitchell', 'MacDonald', "O'Brien", "O'Connor", 'Young', 'Scott', 'McKenzie', 'Fraser', 'Murray', 'Hughes', 'Harrison-Clarke', 'van der Berg'],
  middleNames: true,
};

const samoan: NameGroup = {
  label: 'Samoan',
  weight: 4,
  male: ['Sione', 'Tavita', 'Iosefa', 'Fetu', 'Ioane', 'Sefo', 'Mikaele', 'Lealofi', 'Tasi', 'Ropati'],
  female: ['Teuila', 'Sina', 'Malia', 'Losa', 'Talia', 'Lupe', 'Masina', "Fa'afetai", 'Lagi', 'Fetuao'],
  family: ['Tuilagi', 'Leota', 'Fonoti', 'Faleolo', 'Aumua', "Su'a", 'Toleafoa', 'Lemalu', 'Afamasaga', "Va'ai", 'Schuster', 'Tanielu'],
  middleNames: true,
};

const tongan: NameGroup = {
  label: 'Tongan',
  weight: 2,
  male: ['Viliami', 'Tevita', 'Siosaia', 'Sitani', 'Paula', 'Taniela', 'Semisi', 'Lopeti', "'Aisea", 'Sione'],
  female: ['Mele', 'Salote', 'Losaline', 'Ana', 'Lesieli', 'Seini', 'Kalolaine', 'Siueni', "'Ofa", 'Luseane'],
  family: ['Fifita', 'Taufa', 'Havili', 'Tupou', 'Vaipulu', 'Kioa', 'Maka', 'Fonua', 'Vaka', 'Lātū', 'Finau', 'Halapua', 'Taumoepeau'],
  middleNames: true,
};

const cookIslands: NameGroup = {
  label: 'Cook Islands Māori',
  weight: 1.5,
  male: ['Teina', 'Tere', 'Mana', 'Tamarua', 'Rongo', 'Tangi', 'Pori', 'Tuaine'],
  female: ['Tepaeru', 'Mata', 'Tereapii', 'Vaine', 'Teuira', 'Ngaakaara', 'Rima', 'Tuaine'],
  family: ['Marsters', 'Tangaroa', 'Teariki', 'Tuara', 'Puna', 'Numanga', 'Tou', 'Browne', 'Rongokea', 'Heather'],
  middleNames: false,
};

const fijian: NameGroup = {
  label: 'Fijian',
  weight: 1,
  male: ['Josefa', 'Seru', 'Waisale', 'Apisai', 'Semi', 'Jone', 'Eroni', 'Viliame', 'Tevita', 'Isikeli'],
  female: ['Litia', 'Mereoni', 'Salanieta', 'Asena', 'Vika', 'Unaisi', 'Makereta', 'Losana', 'Ana', 'Sereima'],
  family: ['Naivalu', 'Rabuka', 'Ravuvu', 'Qarase', 'Nailatikau', 'Waqa', 'Koroi', 'Radrodro', 'Seruvakula'],
  middleNames: false,
};

const chinese: NameGroup = {
  label: 'Chinese',
  weight: 7,
  male: ['Wei', 'Jun', 'Hao', 'Ming', 'Jian', 'Kai', 'Bo', 'Lei', 'Zhen', 'Yong'],
  female: ['Mei', 'Xin', 'Ying', 'Jing', 'Xiu', 'Yan', 'Hui', 'Fang', 'Lan', 'Qing'],
  family: ['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Huang', 'Lin', 'Wu', 'Zhou', 'Yang', 'Xu', 'Zhao', 'Wong', 'Chan', 'Lee'],
  middleNames: false,
};

const indian: NameGroup = {
  label: 'Indian (incl. Fiji Indian)',
  weight: 6,
  male: ['Arjun', 'Rahul', 'Vikram', 'Sanjay', 'Amit', 'Rohan', 'Gurpreet', 'Ravi', 'Anil', 'Karan', 'Dev', 'Harjit'],
  female: ['Priya', 'Ananya', 'Deepika', 'Sunita', 'Kavya', 'Neha', 'Pooja', 'Simran', 'Meera', 'Lakshmi', 'Anjali', 'Shalini'],
  family: ['Sharma', 'Patel', 'Singh', 'Kumar', 'Reddy', 'Gupta', 'Nair', 'Iyer', 'Chand', 'Prasad', 'Naidu', 'Desai', 'Mehta'],
  middleNames: false,
};

const korean: NameGroup = {
  label: 'Korean',
  weight: 1.5,
  male: ['Min-jun', 'Ji-ho', 'Seo-jun', 'Hyun-woo', 'Jae-won', 'Dong-hyun', 'Sung-min'],
  female: ['Ji-woo', 'Seo-yeon', 'Min-seo', 'Ha-eun', 'Soo-jin', 'Ji-yeon', 'Eun-ji'],
  family: ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim'],
  middleNames: false,
};

const filipino: NameGroup = {
  label: 'Filipino',
  weight: 3,
  male: ['Jose', 'Juan', 'Rodrigo', 'Carlo', 'Miguel', 'Paolo', 'Ramon', 'Jericho', 'Angelo', 'Mark'],
  female: ['Maria', 'Kristine', 'Angelica', 'Jasmine', 'Rowena', 'Marites', 'Joy', 'Camille', 'Liza', 'Rhea'],
  family: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Dela Cruz', 'Villanueva', 'Aquino', 'Ramos', 'Castillo', 'Delos Santos'],
  middleNames: true,
};

export const NAME_GROUPS: readonly NameGroup[] = [maori, pakeha, samoan, tongan, cookIslands, fijian, chinese, indian, korean, filipino];
