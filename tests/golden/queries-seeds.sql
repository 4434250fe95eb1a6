BEGIN TRANSACTION;
CREATE TABLE actor_aliases (
	id INTEGER NOT NULL, 
	actor_id TEXT NOT NULL, 
	alias TEXT NOT NULL, 
	normalized TEXT NOT NULL, 
	document_id TEXT, 
	start_offset INTEGER, 
	end_offset INTEGER, 
	CONSTRAINT pk_actor_aliases PRIMARY KEY (id), 
	CONSTRAINT fk_actor_aliases_actor_id_actors FOREIGN KEY(actor_id) REFERENCES actors (id), 
	CONSTRAINT fk_actor_aliases_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id), 
	CONSTRAINT uq_actor_aliases_actor_id_alias_document_id UNIQUE (actor_id, alias, document_id)
);
INSERT INTO "actor_aliases" VALUES(1,'yle','Yle','yle',NULL,NULL,NULL);
INSERT INTO "actor_aliases" VALUES(2,'reuters','Reuters','reuters',NULL,NULL,NULL);
INSERT INTO "actor_aliases" VALUES(3,'sergey-lavrov','Sergey Lavrov','sergey lavrov','yle-letter-received',94,107);
INSERT INTO "actor_aliases" VALUES(4,'sergey-lavrov','Sergei Lavrov','sergei lavrov','tass-lavrov-letter',84,97);
INSERT INTO "actor_aliases" VALUES(5,'sergey-lavrov','Lavrov','lavrov','tass-lavrov-letter',0,6);
INSERT INTO "actor_aliases" VALUES(6,'sergey-lavrov','Lavrov','lavrov','reuters-geneva-talks',82,88);
INSERT INTO "actor_aliases" VALUES(7,'pekka-haavisto','Pekka Haavisto','pekka haavisto','yle-letter-received',126,140);
INSERT INTO "actor_aliases" VALUES(8,'pekka-haavisto','Haavisto','haavisto','reuters-geneva-talks',134,142);
INSERT INTO "actor_aliases" VALUES(9,'sauli-niinisto','Sauli Niinistö','sauli niinisto','yle-letter-received',382,396);
INSERT INTO "actor_aliases" VALUES(10,'anna-virtanen','Anna Virtanen','anna virtanen','yle-letter-received',276,289);
INSERT INTO "actor_aliases" VALUES(11,'mikko-virtanen','Mikko Virtanen','mikko virtanen','yle-letter-received',320,334);
INSERT INTO "actor_aliases" VALUES(12,'tass','TASS','tass','tass-lavrov-letter',52,56);
INSERT INTO "actor_aliases" VALUES(13,'tass','TASS','tass','yle-letter-received',171,175);
CREATE TABLE actor_roles (
	id INTEGER NOT NULL, 
	actor_id TEXT NOT NULL, 
	role TEXT NOT NULL, 
	document_id TEXT NOT NULL, 
	words TEXT NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	CONSTRAINT pk_actor_roles PRIMARY KEY (id), 
	CONSTRAINT fk_actor_roles_actor_id_actors FOREIGN KEY(actor_id) REFERENCES actors (id), 
	CONSTRAINT fk_actor_roles_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id)
);
INSERT INTO "actor_roles" VALUES(1,'sergey-lavrov','Foreign Minister of Russia','tass-lavrov-letter','Russian Foreign Minister Sergei Lavrov',59,97);
INSERT INTO "actor_roles" VALUES(2,'pekka-haavisto','Foreign Minister of Finland','yle-letter-received','Foreign Minister Pekka Haavisto',109,140);
CREATE TABLE actor_summaries (
	actor_id TEXT NOT NULL, 
	section TEXT NOT NULL, 
	n INTEGER NOT NULL, 
	first TEXT, 
	last TEXT, 
	n_all INTEGER NOT NULL, 
	first_all TEXT, 
	last_all TEXT, 
	CONSTRAINT pk_actor_summaries PRIMARY KEY (actor_id, section), 
	CONSTRAINT ck_actor_summaries_section CHECK (section IN ('statements', 'events', 'documents')), 
	CONSTRAINT fk_actor_summaries_actor_id_actors FOREIGN KEY(actor_id) REFERENCES actors (id)
);
INSERT INTO "actor_summaries" VALUES('anna-virtanen','documents',1,'2022-02-01','2022-02-01',1,'2022-02-01','2022-02-01');
INSERT INTO "actor_summaries" VALUES('anna-virtanen','statements',1,'2022-02-01','2022-02-01',1,'2022-02-01','2022-02-01');
INSERT INTO "actor_summaries" VALUES('mikko-virtanen','documents',1,'2022-02-01','2022-02-01',1,'2022-02-01','2022-02-01');
INSERT INTO "actor_summaries" VALUES('mikko-virtanen','statements',1,'2022-02-01','2022-02-01',1,'2022-02-01','2022-02-01');
INSERT INTO "actor_summaries" VALUES('pekka-haavisto','documents',2,'2022-02-01','2022-02',2,'2022-02-01','2022-02');
INSERT INTO "actor_summaries" VALUES('pekka-haavisto','events',1,'2022','2022',1,'2022','2022');
INSERT INTO "actor_summaries" VALUES('pekka-haavisto','statements',2,'2022-02-01','2022-02',2,'2022-02-01','2022-02');
INSERT INTO "actor_summaries" VALUES('reuters','documents',1,'2022-02','2022-02',1,'2022-02','2022-02');
INSERT INTO "actor_summaries" VALUES('sauli-niinisto','documents',1,'2022-02-01','2022-02-01',1,'2022-02-01','2022-02-01');
INSERT INTO "actor_summaries" VALUES('sauli-niinisto','statements',1,'2022-02-01','2022-02-01',1,'2022-02-01','2022-02-01');
INSERT INTO "actor_summaries" VALUES('sergey-lavrov','documents',3,'2022-01-28','2022-02',3,'2022-01-28','2022-02');
INSERT INTO "actor_summaries" VALUES('sergey-lavrov','events',2,'2022-01-28','2022-02',2,'2022-01-28','2022-02');
INSERT INTO "actor_summaries" VALUES('sergey-lavrov','statements',3,'2022-01-28','2022-02',4,'2022-01-28','2022-02');
INSERT INTO "actor_summaries" VALUES('tass','documents',2,'2022-01-28','2022-02-01',2,'2022-01-28','2022-02-01');
INSERT INTO "actor_summaries" VALUES('yle','documents',1,'2022-02-01','2022-02-01',1,'2022-02-01','2022-02-01');
CREATE TABLE actors (
	id TEXT NOT NULL, 
	name TEXT NOT NULL, 
	kind TEXT NOT NULL, 
	description TEXT, 
	party TEXT, 
	CONSTRAINT pk_actors PRIMARY KEY (id), 
	CONSTRAINT ck_actors_kind CHECK (kind IN ('person', 'organisation', 'government-body', 'state', 'media-outlet'))
);
INSERT INTO "actors" VALUES('yle','Yle','media-outlet',NULL,NULL);
INSERT INTO "actors" VALUES('reuters','Reuters','media-outlet',NULL,NULL);
INSERT INTO "actors" VALUES('sergey-lavrov','Sergey Lavrov','person','Foreign Minister of Russia',NULL);
INSERT INTO "actors" VALUES('pekka-haavisto','Pekka Haavisto','person',NULL,'Green League');
INSERT INTO "actors" VALUES('sauli-niinisto','Sauli Niinistö','person',NULL,NULL);
INSERT INTO "actors" VALUES('anna-virtanen','Anna Virtanen','person',NULL,NULL);
INSERT INTO "actors" VALUES('mikko-virtanen','Mikko Virtanen','person',NULL,NULL);
INSERT INTO "actors" VALUES('tass','TASS','media-outlet',NULL,NULL);
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0013');
CREATE TABLE boilerplate_regions (
	id INTEGER NOT NULL, 
	document_id TEXT NOT NULL, 
	kind TEXT NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	CONSTRAINT pk_boilerplate_regions PRIMARY KEY (id), 
	CONSTRAINT fk_boilerplate_regions_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id)
);
CREATE TABLE documents (
	id TEXT NOT NULL, 
	title TEXT NOT NULL, 
	publisher_id TEXT, 
	author TEXT, 
	url TEXT, 
	language TEXT NOT NULL, 
	is_machine_translation BOOLEAN NOT NULL, 
	translated_from TEXT, 
	published_on TEXT NOT NULL, 
	published_on_precision TEXT NOT NULL, 
	published_on_basis TEXT NOT NULL, 
	published_on_words TEXT, 
	published_on_inferred_from TEXT, 
	published_on_earliest TEXT NOT NULL, 
	published_on_latest TEXT NOT NULL, 
	file_name TEXT NOT NULL, 
	sha256 TEXT NOT NULL, 
	text TEXT NOT NULL, republished_from_id TEXT, 
	CONSTRAINT pk_documents PRIMARY KEY (id), 
	CONSTRAINT ck_documents_published_on_basis CHECK (published_on_basis IN ('stated', 'inferred')), 
	CONSTRAINT ck_documents_published_on_precision CHECK (published_on_precision IN ('year', 'month', 'week', 'day', 'range')), 
	CONSTRAINT fk_documents_publisher_id_actors FOREIGN KEY(publisher_id) REFERENCES actors (id)
);
INSERT INTO "documents" VALUES('reuters-geneva-talks','Talks in Geneva','reuters',NULL,NULL,'en',0,NULL,'2022-02','month','inferred',NULL,'the page gives only the month','2022-02-01','2022-02-28','reuters-geneva-talks.txt','698fb22f62acf15242cfab8e05e9d5e1fc30bea5bad08b59f14038fafd129e6c','Talks in Geneva
Diplomats met in Geneva in February to discuss European security. Lavrov said the letter had been answered by nobody. Haavisto said Finland had answered the letter. Lavrov said the talks were held in January.
',NULL);
INSERT INTO "documents" VALUES('tass-lavrov-letter','Lavrov sends letter on security','tass',NULL,NULL,'en',0,NULL,'2022-01-28','day','stated','January 28',NULL,'2022-01-28','2022-01-28','tass-lavrov-letter.txt','204ef6bef6c15d699ebdd8d06295c5086dc37f3c27f81b2cf21e11639d922332','Lavrov sends letter on security
MOSCOW, January 28 (TASS). Russian Foreign Minister Sergei Lavrov sent a letter on indivisible security to his European counterparts on Friday.
"Nobody may strengthen their own security at the expense of the security of others," Lavrov said.
Read more on tass.example
',NULL);
INSERT INTO "documents" VALUES('yle-letter-received','Finland received Lavrov''s letter','yle',NULL,NULL,'en',1,'fi','2022-02-01','day','stated','1 February 2022',NULL,'2022-02-01','2022-02-01','yle-letter-received.txt','3b2d71ea7ad65a35c7ca13dbf696a88b6014837749e7b83138f5c0a5a414c1d5','Finland received Lavrov''s letter
Published 1 February 2022
Finland has received the letter of Sergey Lavrov, Foreign Minister Pekka Haavisto said on Tuesday. According to TASS, Lavrov wrote that nobody may strengthen their security at the expense of others.
Ministry official Anna Virtanen confirmed receipt. Researcher Mikko Virtanen said the letter repeats old demands.
President Sauli Niinistö said Finland decides its own security arrangements.
',NULL);
PRAGMA writable_schema=ON;
INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql)VALUES('table','documents_fts','documents_fts',0,'CREATE VIRTUAL TABLE [documents_fts] USING fts5(title, text, content=[documents], tokenize=''porter unicode61 remove_diacritics 2'', prefix=''4'')');
INSERT INTO "documents_fts" VALUES('Talks in Geneva','Talks in Geneva
Diplomats met in Geneva in February to discuss European security. Lavrov said the letter had been answered by nobody. Haavisto said Finland had answered the letter. Lavrov said the talks were held in January.
');
INSERT INTO "documents_fts" VALUES('Lavrov sends letter on security','Lavrov sends letter on security
MOSCOW, January 28 (TASS). Russian Foreign Minister Sergei Lavrov sent a letter on indivisible security to his European counterparts on Friday.
"Nobody may strengthen their own security at the expense of the security of others," Lavrov said.
Read more on tass.example
');
INSERT INTO "documents_fts" VALUES('Finland received Lavrov''s letter','Finland received Lavrov''s letter
Published 1 February 2022
Finland has received the letter of Sergey Lavrov, Foreign Minister Pekka Haavisto said on Tuesday. According to TASS, Lavrov wrote that nobody may strengthen their security at the expense of others.
Ministry official Anna Virtanen confirmed receipt. Researcher Mikko Virtanen said the letter repeats old demands.
President Sauli Niinistö said Finland decides its own security arrangements.
');
CREATE TABLE 'documents_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO "documents_fts_config" VALUES('version',4);
CREATE TABLE 'documents_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO "documents_fts_data" VALUES(1,X'030D8115');
INSERT INTO "documents_fts_data" VALUES(10,X'000000000101010001010101');
INSERT INTO "documents_fts_data" VALUES(137438953473,X'000007050230310306010108010432303232030601010A02013802060101090101610206010111020563636F7264030601011A02036E6E61030601012C03047377657201080101150902057272616E6703060101420201740206010122010601012501046265656E010601011402017901060101160107636F6E6669726D030601012E0309756E74657270617274020601011901056465636964030601013E03046D616E640306010138020769706C6F6D6174010601010503057363757373010601010C01086575726F7065616E010601010D0106010118020578616D706C0206010130030470656E730206010124010601012701086665627275617269010601010A02060101090206696E6C616E64010601011A020C020101020B3402066F726569676E020601010C010601011302057269646169020601011B010667656E657661010A040101040601026861030601010C030661766973746F0106010118020601011603016401080101130A0203656C64010601012402016902060101170102696E010E0301010306041E030564697669730206010114020174030601013F01076A616E756172690106010126010601010801066C6176726F76010801010F12010C020101020F1D010C04010104100D0205657474657201080101120E010A0401010410010C060101060B2801036D6169020601011D01060101210202657401060101060204696B6B6F030601013103046E697374020601010D010601011407027269030601012A02036F7265020601012D030473636F77020601010701086E69696E6973746F030601013B02056F626F64690106010117010601011C010601012001026F6602080101250501080101101A030466696369030601012B02026C64030601013702016E020E050101051009160106010118020474686572020601012901060101290202776E02060101200106010140010570656B6B610306010115020572657369640306010139020675626C6973680306010107010472656164020601012C03056365697074030601012F060176030A030101030C030470656174030601013603067365617263680306010130020675737369616E020601010B0101730308050101050203616964010A0101100B09010601012B010A0101171E0B0303756C69030601013A020465637572010601010E010E06010106110E0801080101241F03026E640208030101030401740206010110030472676569020601010E010601011102097472656E677468656E020601011E0106010122010474616C6B010A020101022203027373020801010A27010601011C0203686174030601011F030165010A0101110E06010801012305010A01010E1A1004026972020601011F010601012302016F010601010B0106010116010601011B02067565736461690306010119010876697274616E656E030801012D0701047765726501060101230204726F7465030601011E00053132303232030601010A01046163636F030601011A02036E6E61030601012C030273770108010115090203727261030601014201046265656E01060101140104636F6E66030601012E0302756E0206010119010464656369030601013E03026D610306010138020369706C010601010503027363010601010C01046575726F010601010D0106010118020378616D02060101300302706502060101240106010127010466656272010601010A02060101090203696E6C010601011A020C020101020B3402036F7265020601010C01060101130203726964020601011B010467656E65010A0401010406010468616176010601011802060101160203656C6401060101240104696E6469020601011401046A616E750106010126010601010801046C617672010801010F12010C020101020F1D010C04010104100D020365747401080101120E010A0401010410010C060101060B2801046D696B6B030601013103026E69020601010D01080101141802036F7265020601012D03027363020601010701046E69696E030601013B02036F626F0106010117010601011C010601012001046F666669030601012B020374686502060101290106010129010470656B6B030601011502037265730306010139020375626C0306010107010472656164020601012C03026365030C030101030C240302706503060101360302736503060101300203757373020601010B010473616964010A0101100B09010601012B010A0101171E0B0302756C030601013A0203656375010601010E010E06010106110E0801080101241F03026E64020803010103040174020601011003027267020601010E01060101110203747265020601011E0106010122010474616C6B010A020101022203027373020801010A27010601011C0203686174030601011F03026569020601011F010601012302037565730306010119010476697274030801012D0701047765726501060101230203726F74030601011E04080B08080C0A0C0C0D0B080E100C0B0E0C140C101415120C0F0912090A080D0C08131E1C0F090B10090A0B0F16100B0911100E0C0C0D0B0C0A0B0D0D09180A1A0A0810150D0F0A170E120D100B0B0C0B0A0A0A0B0B090B090A09100A0E10120F0A0D100A0B101C1A0B0F0A090B140B0F0B0A0A0B0C09090A1909190A080E0F0D0F0A0E0A0C0B');
CREATE TABLE 'documents_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
INSERT INTO "documents_fts_docsize" VALUES(1,X'0325');
INSERT INTO "documents_fts_docsize" VALUES(2,X'052F');
INSERT INTO "documents_fts_docsize" VALUES(3,X'0541');
CREATE TABLE 'documents_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
INSERT INTO "documents_fts_idx" VALUES(1,X'',2);
CREATE TABLE event_participants (
	event_id TEXT NOT NULL, 
	actor_id TEXT NOT NULL, 
	role TEXT, 
	CONSTRAINT pk_event_participants PRIMARY KEY (event_id, actor_id), 
	CONSTRAINT fk_event_participants_actor_id_actors FOREIGN KEY(actor_id) REFERENCES actors (id), 
	CONSTRAINT fk_event_participants_event_id_events FOREIGN KEY(event_id) REFERENCES events (id)
);
INSERT INTO "event_participants" VALUES('lavrov-sends-letter','sergey-lavrov','sender');
INSERT INTO "event_participants" VALUES('finland-receives-letter','pekka-haavisto','recipient');
INSERT INTO "event_participants" VALUES('geneva-talks','sergey-lavrov',NULL);
CREATE TABLE event_sources (
	id INTEGER NOT NULL, 
	event_id TEXT NOT NULL, 
	document_id TEXT NOT NULL, 
	words TEXT NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	relayed_by_id TEXT, origin_id TEXT, date TEXT, date_precision TEXT, date_basis TEXT, date_words TEXT, date_inferred_from TEXT, date_earliest TEXT, date_latest TEXT, 
	CONSTRAINT pk_event_sources PRIMARY KEY (id), 
	CONSTRAINT fk_event_sources_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id), 
	CONSTRAINT fk_event_sources_event_id_events FOREIGN KEY(event_id) REFERENCES events (id), 
	CONSTRAINT fk_event_sources_relayed_by_id_actors FOREIGN KEY(relayed_by_id) REFERENCES actors (id), 
	CONSTRAINT uq_event_sources_event_id_document_id_start_offset UNIQUE (event_id, document_id, start_offset)
);
INSERT INTO "event_sources" VALUES(1,'lavrov-sends-letter','tass-lavrov-letter','sent a letter on indivisible security to his European counterparts',98,164,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "event_sources" VALUES(2,'lavrov-sends-letter','yle-letter-received','According to TASS, Lavrov wrote',158,189,'tass',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "event_sources" VALUES(3,'finland-receives-letter','yle-letter-received','Finland has received the letter of Sergey Lavrov',59,107,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "event_sources" VALUES(4,'geneva-talks-in-january','reuters-geneva-talks','the talks were held in January',193,223,NULL,'sergey-lavrov','2022-01','month','inferred','in January','''in January'' read against the publication date of reuters-geneva-talks (2022-02): 2022-01','2022-01-01','2022-01-31');
INSERT INTO "event_sources" VALUES(5,'geneva-talks','reuters-geneva-talks','Diplomats met in Geneva in February to discuss European security',16,80,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE events (
	id TEXT NOT NULL, 
	description TEXT NOT NULL, 
	kind TEXT, 
	date TEXT NOT NULL, 
	date_precision TEXT NOT NULL, 
	date_basis TEXT NOT NULL, 
	date_words TEXT, 
	date_inferred_from TEXT, 
	date_earliest TEXT NOT NULL, 
	date_latest TEXT NOT NULL, 
	place TEXT, 
	note TEXT, status TEXT DEFAULT 'normal' NOT NULL, status_reason TEXT, 
	CONSTRAINT pk_events PRIMARY KEY (id), 
	CONSTRAINT ck_events_date_basis CHECK (date_basis IN ('stated', 'inferred')), 
	CONSTRAINT ck_events_date_precision CHECK (date_precision IN ('year', 'month', 'week', 'day', 'range')), 
	CONSTRAINT fk_events_id_facts FOREIGN KEY(id) REFERENCES facts (id)
);
INSERT INTO "events" VALUES('lavrov-sends-letter','Lavrov sends a letter on indivisible security to European ministers','letter sent','2022-01-28','day','inferred','January 28','tass-lavrov-letter publication date (2022-01-28)','2022-01-28','2022-01-28',NULL,NULL,'normal',NULL);
INSERT INTO "events" VALUES('finland-receives-letter','Finland receives Lavrov''s letter','letter received','2022','year','inferred',NULL,'the article says only that it has arrived','2022-01-01','2022-12-31',NULL,NULL,'normal',NULL);
INSERT INTO "events" VALUES('geneva-talks-in-january','Diplomats meet in Geneva in January, as Lavrov has it','talks','2022-02','month','inferred',NULL,'the report''s own account of the talks','2022-02-01','2022-02-28','Geneva',NULL,'deprecated','the same report says the diplomats met in February (geneva-talks)');
INSERT INTO "events" VALUES('geneva-talks','Diplomats meet in Geneva to discuss European security','talks','2022-02','month','inferred','in February','reuters-geneva-talks publication date (2022-02)','2022-02-01','2022-02-28','Geneva',NULL,'normal',NULL);
INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql)VALUES('table','events_fts','events_fts',0,'CREATE VIRTUAL TABLE [events_fts] USING fts5(description, place, content=[events], tokenize=''porter unicode61 remove_diacritics 2'', prefix=''4'')');
INSERT INTO "events_fts" VALUES('Lavrov sends a letter on indivisible security to European ministers',NULL);
INSERT INTO "events_fts" VALUES('Finland receives Lavrov''s letter',NULL);
INSERT INTO "events_fts" VALUES('Diplomats meet in Geneva in January, as Lavrov has it','Geneva');
INSERT INTO "events_fts" VALUES('Diplomats meet in Geneva to discuss European security','Geneva');
CREATE TABLE 'events_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO "events_fts_config" VALUES('version',4);
CREATE TABLE 'events_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO "events_fts_data" VALUES(1,X'042102');
INSERT INTO "events_fts_data" VALUES(10,X'000000000101010001010101');
INSERT INTO "events_fts_data" VALUES(137438953473,X'0000018802306101020402017303020801086469706C6F6D61740302020102020305736375737304020701086575726F7065616E01020A030208010766696E6C616E64020202010667656E6576610308050101020108050101020102686103020A0102696E030404040102040305646976697301020702017403020B01076A616E7561726903020701066C6176726F760102020102040102090205657474657201020501020601046D6565740302030102030205696E69737401020B01026F6E010206010672656365697602020301017302020502046563757201020803020903026E640102030102746F0102090302060005316469706C0302020102020302736304020701046575726F01020A030208010466696E6C020202010467656E650308050101020108050101020104696E646901020701046A616E7503020701046C617672010202010204010209020365747401020501020601046D6565740302030102030203696E6901020B01047265636502020301047365637501020803020903026E64010203040606100A100C14070B0A060C110D0C0A070B060C070A0D070C091209090F0B0C08090C');
CREATE TABLE 'events_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
INSERT INTO "events_fts_docsize" VALUES(1,X'0A00');
INSERT INTO "events_fts_docsize" VALUES(2,X'0500');
INSERT INTO "events_fts_docsize" VALUES(3,X'0A01');
INSERT INTO "events_fts_docsize" VALUES(4,X'0801');
CREATE TABLE 'events_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
INSERT INTO "events_fts_idx" VALUES(1,X'',2);
CREATE TABLE facts (
	id TEXT NOT NULL, 
	kind TEXT NOT NULL, 
	CONSTRAINT pk_facts PRIMARY KEY (id), 
	CONSTRAINT ck_facts_kind CHECK (kind IN ('statement', 'event'))
);
INSERT INTO "facts" VALUES('lavrov-answered-by-nobody','statement');
INSERT INTO "facts" VALUES('haavisto-finland-answered','statement');
INSERT INTO "facts" VALUES('lavrov-talks-in-january','statement');
INSERT INTO "facts" VALUES('lavrov-nobody-at-expense','statement');
INSERT INTO "facts" VALUES('haavisto-received-letter','statement');
INSERT INTO "facts" VALUES('lavrov-nobody-relayed','statement');
INSERT INTO "facts" VALUES('anna-virtanen-confirmed','statement');
INSERT INTO "facts" VALUES('mikko-virtanen-old-demands','statement');
INSERT INTO "facts" VALUES('niinisto-own-security','statement');
INSERT INTO "facts" VALUES('lavrov-sends-letter','event');
INSERT INTO "facts" VALUES('finland-receives-letter','event');
INSERT INTO "facts" VALUES('geneva-talks-in-january','event');
INSERT INTO "facts" VALUES('geneva-talks','event');
CREATE TABLE relations (
	id TEXT NOT NULL, 
	kind TEXT NOT NULL, 
	fact_id TEXT NOT NULL, 
	fact_document_id TEXT, 
	other_fact_id TEXT NOT NULL, 
	other_document_id TEXT, 
	note TEXT NOT NULL, 
	CONSTRAINT pk_relations PRIMARY KEY (id), 
	CONSTRAINT ck_relations_kind CHECK (kind IN ('corroborates', 'contradicts')), 
	CONSTRAINT ck_relations_not_self CHECK (fact_id != other_fact_id OR fact_document_id IS NOT other_document_id), 
	CONSTRAINT fk_relations_fact_document_id_documents FOREIGN KEY(fact_document_id) REFERENCES documents (id), 
	CONSTRAINT fk_relations_fact_id_facts FOREIGN KEY(fact_id) REFERENCES facts (id), 
	CONSTRAINT fk_relations_other_document_id_documents FOREIGN KEY(other_document_id) REFERENCES documents (id), 
	CONSTRAINT fk_relations_other_fact_id_facts FOREIGN KEY(other_fact_id) REFERENCES facts (id)
);
INSERT INTO "relations" VALUES('answered-or-not','contradicts','lavrov-answered-by-nobody',NULL,'haavisto-finland-answered',NULL,'Lavrov says nobody answered; Haavisto says Finland did');
INSERT INTO "relations" VALUES('expense-quote-relayed','corroborates','lavrov-nobody-at-expense',NULL,'lavrov-nobody-relayed',NULL,'Yle repeats TASS''s report of the same words');
INSERT INTO "relations" VALUES('letter-sent-two-reports','corroborates','lavrov-sends-letter','tass-lavrov-letter','lavrov-sends-letter','yle-letter-received','Yle reports the letter, citing TASS');
INSERT INTO "relations" VALUES('received-and-answered','corroborates','finland-receives-letter',NULL,'haavisto-finland-answered',NULL,'Answering the letter means Finland had received it');
INSERT INTO "relations" VALUES('talks-january-or-february','contradicts','lavrov-talks-in-january',NULL,'geneva-talks',NULL,'Lavrov dates the talks to January; the report dates them to February');
CREATE TABLE skipped_passages (
	id INTEGER NOT NULL, 
	document_id TEXT NOT NULL, 
	words TEXT NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	reason TEXT NOT NULL, 
	CONSTRAINT pk_skipped_passages PRIMARY KEY (id), 
	CONSTRAINT fk_skipped_passages_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id)
);
INSERT INTO "skipped_passages" VALUES(1,'tass-lavrov-letter','Read more on tass.example',274,299,'link to the outlet''s site');
CREATE TABLE statement_pieces (
	statement_id TEXT NOT NULL, 
	seq INTEGER NOT NULL, 
	words TEXT NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	CONSTRAINT pk_statement_pieces PRIMARY KEY (statement_id, seq), 
	CONSTRAINT fk_statement_pieces_statement_id_statements FOREIGN KEY(statement_id) REFERENCES statements (id)
);
CREATE TABLE statements (
	id TEXT NOT NULL, 
	speaker_id TEXT NOT NULL, 
	document_id TEXT NOT NULL, 
	quote TEXT NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	speech TEXT NOT NULL, 
	said_on TEXT, 
	said_on_precision TEXT, 
	said_on_basis TEXT, 
	said_on_words TEXT, 
	said_on_inferred_from TEXT, 
	said_on_earliest TEXT, 
	said_on_latest TEXT, 
	venue TEXT, 
	relayed_by_id TEXT, 
	note TEXT, status TEXT DEFAULT 'normal' NOT NULL, status_reason TEXT, origin_id TEXT, 
	CONSTRAINT pk_statements PRIMARY KEY (id), 
	CONSTRAINT ck_statements_said_on_basis CHECK (said_on_basis IN ('stated', 'inferred')), 
	CONSTRAINT ck_statements_said_on_precision CHECK (said_on_precision IN ('year', 'month', 'week', 'day', 'range')), 
	CONSTRAINT ck_statements_speech CHECK (speech IN ('direct', 'reported')), 
	CONSTRAINT fk_statements_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id), 
	CONSTRAINT fk_statements_id_facts FOREIGN KEY(id) REFERENCES facts (id), 
	CONSTRAINT fk_statements_relayed_by_id_actors FOREIGN KEY(relayed_by_id) REFERENCES actors (id), 
	CONSTRAINT fk_statements_speaker_id_actors FOREIGN KEY(speaker_id) REFERENCES actors (id)
);
INSERT INTO "statements" VALUES('lavrov-answered-by-nobody','sergey-lavrov','reuters-geneva-talks','the letter had been answered by nobody',94,132,'reported',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'normal',NULL,NULL);
INSERT INTO "statements" VALUES('haavisto-finland-answered','pekka-haavisto','reuters-geneva-talks','Finland had answered the letter',148,179,'reported',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'normal',NULL,NULL);
INSERT INTO "statements" VALUES('lavrov-talks-in-january','sergey-lavrov','reuters-geneva-talks','the talks were held in January',193,223,'reported',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'deprecated','the same report says the diplomats met in February',NULL);
INSERT INTO "statements" VALUES('lavrov-nobody-at-expense','sergey-lavrov','tass-lavrov-letter','Nobody may strengthen their own security at the expense of the security of others',177,258,'direct','2022-01-28','day','inferred','on Friday','tass-lavrov-letter publication date (2022-01-28)','2022-01-28','2022-01-28',NULL,NULL,NULL,'normal',NULL,NULL);
INSERT INTO "statements" VALUES('haavisto-received-letter','pekka-haavisto','yle-letter-received','Finland has received the letter of Sergey Lavrov',59,107,'reported','2022-02-01','day','inferred','on Tuesday','yle-letter-received publication date (2022-02-01)','2022-02-01','2022-02-01',NULL,NULL,NULL,'normal',NULL,NULL);
INSERT INTO "statements" VALUES('lavrov-nobody-relayed','sergey-lavrov','yle-letter-received','nobody may strengthen their security at the expense of others',195,256,'reported',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'tass',NULL,'normal',NULL,NULL);
INSERT INTO "statements" VALUES('anna-virtanen-confirmed','anna-virtanen','yle-letter-received','confirmed receipt',290,307,'reported',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'normal',NULL,NULL);
INSERT INTO "statements" VALUES('mikko-virtanen-old-demands','mikko-virtanen','yle-letter-received','the letter repeats old demands',340,370,'reported',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'normal',NULL,NULL);
INSERT INTO "statements" VALUES('niinisto-own-security','sauli-niinisto','yle-letter-received','Finland decides its own security arrangements',402,447,'reported',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'normal',NULL,NULL);
INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql)VALUES('table','statements_fts','statements_fts',0,'CREATE VIRTUAL TABLE [statements_fts] USING fts5(quote, content=[statements], tokenize=''porter unicode61 remove_diacritics 2'', prefix=''4'')');
INSERT INTO "statements_fts" VALUES('the letter had been answered by nobody');
INSERT INTO "statements_fts" VALUES('Finland had answered the letter');
INSERT INTO "statements_fts" VALUES('the talks were held in January');
INSERT INTO "statements_fts" VALUES('Nobody may strengthen their own security at the expense of the security of others');
INSERT INTO "statements_fts" VALUES('Finland has received the letter of Sergey Lavrov');
INSERT INTO "statements_fts" VALUES('nobody may strengthen their security at the expense of others');
INSERT INTO "statements_fts" VALUES('confirmed receipt');
INSERT INTO "statements_fts" VALUES('the letter repeats old demands');
INSERT INTO "statements_fts" VALUES('Finland decides its own security arrangements');
CREATE TABLE 'statements_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO "statements_fts_config" VALUES('version',4);
CREATE TABLE 'statements_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO "statements_fts_data" VALUES(1,X'093F');
INSERT INTO "statements_fts_data" VALUES(10,X'000000000101010001010101');
INSERT INTO "statements_fts_data" VALUES(137438953473,X'000002700730616E7377657201020601020402057272616E6709020702017404020802020701046265656E0102050201790102070107636F6E6669726D0702020105646563696409020303046D616E640802060106657870656E7304020A020209010766696E6C616E64020202030202040202010268610502030301640102040102030203656C640302050102696E03020602017409020401076A616E7561726903020701066C6176726F760502090205657474657201020301020603020603020301036D616904020302020301066E6F626F646901020803020202020201026F6604040B0501020701020A02026C6408020502047468657204020F02020B0202776E040206050205010772656365697074070203060176050204030470656174080204010573656375720404070802020603020603047267656905020802097472656E677468656E040204020204010474616C6B030203020268650102020102050102020104090501020501020802020204026972040205020205010477657265030204000531616E7377010206010204020372726109020701046265656E0102050104636F6E6607020201046465636909020303026D6108020601046578706504020A020209010466696E6C020202030202040202010468656C6403020501046A616E7503020701046C617672050209020365747401020301020603020603020301046E6F626F01020803020202020201046F74686504020F02020B0104726563650502040202030302706508020401047365637504040708020206030206030272670502080203747265040204020204010474616C6B0302030203686569040205020205010477657265030204040E0A0909060C0A090E1207090807060C0B130B110E070C0A0C0609110911091A0A090D08090909070C0F090909110F0C0C0710070B090B');
CREATE TABLE 'statements_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
INSERT INTO "statements_fts_docsize" VALUES(1,X'07');
INSERT INTO "statements_fts_docsize" VALUES(2,X'05');
INSERT INTO "statements_fts_docsize" VALUES(3,X'06');
INSERT INTO "statements_fts_docsize" VALUES(4,X'0E');
INSERT INTO "statements_fts_docsize" VALUES(5,X'08');
INSERT INTO "statements_fts_docsize" VALUES(6,X'0A');
INSERT INTO "statements_fts_docsize" VALUES(7,X'02');
INSERT INTO "statements_fts_docsize" VALUES(8,X'05');
INSERT INTO "statements_fts_docsize" VALUES(9,X'06');
CREATE TABLE 'statements_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
INSERT INTO "statements_fts_idx" VALUES(1,X'',2);
CREATE VIEW statement_details AS SELECT s.id AS statement_id, s.speaker_id, sp.name AS speaker, s.quote, s.speech,
       s.said_on, s.said_on_precision, s.said_on_basis, s.said_on_earliest, s.said_on_latest,
       s.venue, s.relayed_by_id, rb.name AS relayed_by,
       s.document_id, d.title AS document_title, d.published_on, d.published_on_earliest,
       d.published_on_latest, d.publisher_id, pub.name AS publisher, s.start_offset,
       s.end_offset, s.note, s.status, s.status_reason, s.origin_id
FROM statements s
JOIN actors sp ON sp.id = s.speaker_id
JOIN documents d ON d.id = s.document_id
LEFT JOIN actors rb ON rb.id = s.relayed_by_id
LEFT JOIN actors pub ON pub.id = d.publisher_id;
CREATE VIEW event_timeline AS SELECT e.id AS event_id, e.date, e.date_precision, e.date_basis, e.date_earliest,
       e.date_latest, e.description, e.kind, e.place,
       (SELECT count(DISTINCT es.document_id) FROM event_sources es
        WHERE es.event_id = e.id) AS documents,
       (SELECT group_concat(name, ', ') FROM (
          SELECT a.name FROM event_participants p JOIN actors a ON a.id = p.actor_id
          WHERE p.event_id = e.id ORDER BY a.name)) AS participants,
       e.date_words, e.date_inferred_from, e.note, e.status, e.status_reason
FROM events e
ORDER BY e.date_earliest, e.date_latest, e.id;
CREATE VIEW evidence AS SELECT 'statements' AS table_name, id AS record_id, document_id, start_offset, end_offset,
       quote AS words FROM statements s
  WHERE NOT EXISTS (SELECT 1 FROM statement_pieces p WHERE p.statement_id = s.id)
UNION ALL SELECT 'statement_pieces', p.statement_id || '#' || p.seq, s.document_id,
       p.start_offset, p.end_offset, p.words
  FROM statement_pieces p JOIN statements s ON s.id = p.statement_id
UNION ALL SELECT 'event_sources', id, document_id, start_offset, end_offset, words
  FROM event_sources
UNION ALL SELECT 'actor_roles', id, document_id, start_offset, end_offset, words
  FROM actor_roles
UNION ALL SELECT 'actor_aliases', id, document_id, start_offset, end_offset, alias
  FROM actor_aliases WHERE document_id IS NOT NULL
UNION ALL SELECT 'skipped_passages', id, document_id, start_offset, end_offset, words
  FROM skipped_passages;
CREATE VIEW event_source_details AS SELECT es.id AS event_source_id, es.event_id, e.description AS event, e.date AS event_date,
       es.document_id, d.title AS document_title, d.published_on, d.published_on_earliest,
       d.publisher_id, pub.name AS publisher, es.words, es.start_offset, es.end_offset,
       es.relayed_by_id, rb.name AS relayed_by, es.origin_id, es.date AS source_date,
       es.date_precision AS source_date_precision, es.date_basis AS source_date_basis,
       es.date_words AS source_date_words, es.date_earliest AS source_date_earliest,
       es.date_latest AS source_date_latest
FROM event_sources es
JOIN events e ON e.id = es.event_id
JOIN documents d ON d.id = es.document_id
LEFT JOIN actors pub ON pub.id = d.publisher_id
LEFT JOIN actors rb ON rb.id = es.relayed_by_id;
CREATE VIEW relation_details AS SELECT r.id AS relation_id, r.kind,
       r.fact_id, CASE WHEN fs.id IS NULL THEN 'event' ELSE 'statement' END AS fact_kind,
       coalesce(fsp.name || coalesce(' via ' || frb.name, ''),
                coalesce(forg.name, fod.title) || coalesce(' via ' || frb.name, '')
                  || coalesce(' via ' || fpub.name, ''),
                frb.name || coalesce(' via ' || fpub.name, ''), fpub.name, fd.id)
         AS fact_speaker_or_source,
       fd.id AS fact_document_id, coalesce(fs.quote, fe.words) AS fact_words,
       coalesce(fs.relayed_by_id, fe.relayed_by_id) AS fact_relayed_by_id,
       fd.publisher_id AS fact_publisher_id, coalesce(fs.origin_id, fe.origin_id) AS fact_origin_id,
       r.other_fact_id, CASE WHEN os.id IS NULL THEN 'event' ELSE 'statement' END AS other_kind,
       coalesce(osp.name || coalesce(' via ' || orb.name, ''),
                coalesce(oorg.name, ood.title) || coalesce(' via ' || orb.name, '')
                  || coalesce(' via ' || opub.name, ''),
                orb.name || coalesce(' via ' || opub.name, ''), opub.name, od.id)
         AS other_speaker_or_source,
       od.id AS other_document_id, coalesce(os.quote, oe.words) AS other_words,
       coalesce(os.relayed_by_id, oe.relayed_by_id) AS other_relayed_by_id,
       od.publisher_id AS other_publisher_id, coalesce(os.origin_id, oe.origin_id) AS other_origin_id,
       r.note,
       CASE
         WHEN fd.id = od.id THEN 'no: same document'
         WHEN coalesce(fs.origin_id, fe.origin_id) IN (coalesce(os.origin_id, oe.origin_id), od.id, od.publisher_id, coalesce(os.relayed_by_id, oe.relayed_by_id))
           THEN 'no: both from ' || coalesce(forg.name, fod.title, coalesce(fs.origin_id, fe.origin_id))
         WHEN coalesce(os.origin_id, oe.origin_id) IN (fd.id, fd.publisher_id, coalesce(fs.relayed_by_id, fe.relayed_by_id))
           THEN 'no: both from ' || coalesce(oorg.name, ood.title, coalesce(os.origin_id, oe.origin_id))
         WHEN coalesce(fs.relayed_by_id, fe.relayed_by_id) IN (coalesce(os.relayed_by_id, oe.relayed_by_id), od.publisher_id)
           THEN 'no: both from ' || frb.name
         WHEN coalesce(os.relayed_by_id, oe.relayed_by_id) = fd.publisher_id
           THEN 'no: both from ' || orb.name
         WHEN fd.publisher_id = od.publisher_id THEN 'no: both published by ' || fpub.name
         ELSE 'yes'
       END AS independent
FROM relations r
LEFT JOIN statements fs ON fs.id = r.fact_id
LEFT JOIN event_sources fe ON fs.id IS NULL AND fe.id = (
  SELECT min(x.id) FROM event_sources x WHERE x.event_id = r.fact_id
    AND (r.fact_document_id IS NULL OR x.document_id = r.fact_document_id))
JOIN documents fd ON fd.id = coalesce(fs.document_id, fe.document_id)
LEFT JOIN actors fsp ON fsp.id = fs.speaker_id
LEFT JOIN actors frb ON frb.id = coalesce(fs.relayed_by_id, fe.relayed_by_id)
LEFT JOIN actors fpub ON fpub.id = fd.publisher_id
LEFT JOIN actors forg ON forg.id = coalesce(fs.origin_id, fe.origin_id)
LEFT JOIN documents fod ON fod.id = coalesce(fs.origin_id, fe.origin_id)
LEFT JOIN statements os ON os.id = r.other_fact_id
LEFT JOIN event_sources oe ON os.id IS NULL AND oe.id = (
  SELECT min(x.id) FROM event_sources x WHERE x.event_id = r.other_fact_id
    AND (r.other_document_id IS NULL OR x.document_id = r.other_document_id))
JOIN documents od ON od.id = coalesce(os.document_id, oe.document_id)
LEFT JOIN actors osp ON osp.id = os.speaker_id
LEFT JOIN actors orb ON orb.id = coalesce(os.relayed_by_id, oe.relayed_by_id)
LEFT JOIN actors opub ON opub.id = od.publisher_id
LEFT JOIN actors oorg ON oorg.id = coalesce(os.origin_id, oe.origin_id)
LEFT JOIN documents ood ON ood.id = coalesce(os.origin_id, oe.origin_id);
CREATE VIEW date_conflicts AS WITH d AS (SELECT id, event_id, document_id, date, date_words, date_earliest, date_latest
           FROM event_sources WHERE date IS NOT NULL)
SELECT a.event_id, a.document_id, a.date, a.date_words,
       b.document_id AS against, b.date AS against_date, b.date_words AS against_words
FROM d a JOIN d b ON b.event_id = a.event_id AND a.id < b.id
WHERE a.date_latest < b.date_earliest OR b.date_latest < a.date_earliest
UNION ALL
SELECT a.event_id, a.document_id, a.date, a.date_words,
       'the event' AS against, e.date AS against_date, e.date_words AS against_words
FROM d a JOIN events e ON e.id = a.event_id
WHERE a.date_latest < e.date_earliest OR e.date_latest < a.date_earliest;
CREATE INDEX ix_actor_aliases_document_id ON actor_aliases (document_id);
CREATE INDEX ix_actor_aliases_normalized ON actor_aliases (normalized);
CREATE INDEX ix_actor_roles_actor_id ON actor_roles (actor_id);
CREATE INDEX ix_actor_roles_document_id ON actor_roles (document_id);
CREATE INDEX ix_boilerplate_regions_document_id ON boilerplate_regions (document_id);
CREATE INDEX ix_event_sources_document_id_start_offset ON event_sources (document_id, start_offset);
CREATE INDEX ix_relations_fact_id ON relations (fact_id);
CREATE INDEX ix_relations_other_fact_id ON relations (other_fact_id);
CREATE INDEX ix_skipped_passages_document_id ON skipped_passages (document_id);
CREATE INDEX ix_statements_document_id_start_offset ON statements (document_id, start_offset);
CREATE INDEX ix_statements_relayed_by_id ON statements (relayed_by_id);
CREATE INDEX ix_statements_said_on_earliest ON statements (said_on_earliest);
CREATE INDEX ix_statements_speaker_id_document_id_said_on_earliest_said_on_latest_said_on_start_offset ON statements (speaker_id, document_id, said_on_earliest, said_on_latest, said_on, start_offset);
CREATE INDEX ix_event_participants_actor_id_event_id ON event_participants (actor_id, event_id);
CREATE INDEX ix_events_id_date_earliest_date_latest_date ON events (id, date_earliest, date_latest, date);
CREATE INDEX ix_documents_id_published_on_earliest_published_on_latest_published_on ON documents (id, published_on_earliest, published_on_latest, published_on);
CREATE INDEX ix_documents_publisher_id ON documents (publisher_id);
CREATE INDEX ix_event_sources_relayed_by_id ON event_sources (relayed_by_id);
CREATE INDEX ix_statements_status ON statements (status) WHERE status = 'deprecated';
CREATE INDEX ix_events_status ON events (status) WHERE status = 'deprecated';
CREATE INDEX ix_events_date_earliest_date_latest_id ON events (date_earliest, date_latest, id);
CREATE INDEX ix_event_sources_dated ON event_sources (event_id, id, document_id, date, date_words, date_earliest, date_latest) WHERE date IS NOT NULL;
PRAGMA writable_schema=OFF;
COMMIT;
