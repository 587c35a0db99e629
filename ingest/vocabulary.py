"""
Word lists the copy reader relies on: function words, titles and roles, organisation and
place words, speech verbs. Lower case unless a list says otherwise; kept as plain sets so a
reader can see exactly what the parser knows.
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words left lower case in a title-case headline or subhead.
SMALL_WORDS = _words(
    "a an the and but or nor for so yet of in on at to by up as from with into over than via vs per "
    "off out onto upon about after before"
)

DETERMINERS = _words("a an the this that these those one two three several many some other another any")

# Words that never start a verb phrase: prepositions, conjunctions, determiners, pronouns.
FUNCTION_WORDS = DETERMINERS | _words(
    "his her its their our my your and or but nor so if whether because although though while whereas "
    "when where who whom whose which what as than of in on at to for with from by about over under after "
    "before during since into onto through between against among without within near across toward "
    "towards upon via per like amid despite including not no it he she they we i you him them us me "
    "there here"
)

# Capitalised words that begin a sentence rather than a name ("However", "Following").
SENTENCE_OPENERS = frozenset(word.capitalize() for word in FUNCTION_WORDS) | _words(
    "However Meanwhile Following Recently Earlier Later Still Instead Separately Asked Speaking Last Next "
    "Both Each Every Many Most Several Few All Such Now Today Yesterday Tonight Then Once Even Only Just "
    "Unlike Along Outside Inside Beyond Until Unless Why How Also Already Again Overall Finally Indeed "
    "Nevertheless Nonetheless Moreover Furthermore Elsewhere Afterwards Initially Ultimately Perhaps "
    "Dear Hello Yes Oh Well Please Thank Thanks"
)

# Title words that go before a name, as written in copy with a capital ("President", "Chancellor").
TITLE_WORDS = _words(
    "President Vice Chancellor Minister Prime Secretary Senator Sen Governor Gov Mayor Representative "
    "Rep Congressman Congresswoman Speaker Leader Chairman Chairwoman Chair Director Chief Justice Judge "
    "General Gen Admiral Adm Colonel Col Lieutenant Lt Captain Capt Sergeant Sgt Major Commander "
    "Ambassador Envoy Commissioner Spokesperson Spokesman Spokeswoman Attorney Prosecutor Sheriff "
    "Inspector Detective Officer Dr Doctor Professor Prof Mr Mrs Ms Miss Mx Sir Dame Lord Lady King Queen "
    "Prince Princess Pope Rabbi Imam Bishop Archbishop Cardinal Reverend Rev Deputy Foreign Defence "
    "Defense Interior Finance Health Treasury State Home Economy Trade Education Labor Energy Agriculture "
    "Transport Culture Environment Executive Premier President-elect Secretary-General Coach Manager "
    "Emir Sheikh Crown Supreme High Special National Security Adviser Advisor Senior Former Acting "
    "Interim First Councillor Councilor Alderman Superintendent Constable Mr. Mrs. Ms. Dr. Cr Cllr Assistant "
    "Councilmember Councilwoman Councilman Assemblyman Assemblywoman Trustee Supervisor Coordinator "
    "Co-ordinator Co-Ordinator Magistrate Coroner"
)

# Capitalised words naming a portfolio in a title ("Commissioner Counter Terrorism"): never a name.
PORTFOLIO_WORDS = _words(
    "Counter Terrorism Affairs Operations Development Communications Policy Strategy Crime Intelligence "
    "Relations Resources Planning Marketing Sales Engineering Technology Research Commerce Infrastructure "
    "Immigration Welfare Sport Sports Tourism Innovation Industry Events"
)

# Capitalised words that qualify a title before a name ("Russian President", "Kremlin spokesperson").
ROLE_MODIFIERS = _words(
    "American British Russian Ukrainian French German Italian Spanish Chinese Japanese Korean Indian "
    "Pakistani Iranian Iraqi Israeli Palestinian Syrian Turkish Egyptian Saudi Emirati Qatari Canadian "
    "Mexican Brazilian Argentine Argentinian Australian Polish Dutch Belgian Swedish Norwegian Danish "
    "Finnish Irish Scottish Welsh English Greek Portuguese Swiss Austrian Hungarian Czech Slovak Romanian "
    "Bulgarian Serbian Croatian Belarusian Georgian Armenian Azerbaijani Kazakh Afghan Nigerian Kenyan "
    "Ethiopian African European Asian Arab Lebanese Jordanian Yemeni Libyan Tunisian Moroccan Algerian "
    "Sudanese Somali Venezuelan Colombian Chilean Peruvian Cuban Filipino Indonesian Malaysian Thai "
    "Vietnamese Taiwanese Estonian Latvian Lithuanian Moldovan Slovenian Icelandic Western Eastern "
    "Northern Southern Federal Republican Democratic Democrat Conservative Labour Liberal "
    "Kremlin Pentagon NATO US UK UN EU U.S U.K U.N E.U"
)

# Heads of organisation and place names; a run of capitals holding one is not a person.
ORGANISATION_WORDS = _words(
    "House Office Force Department Ministry Council Committee Commission Agency Bureau Service Services "
    "Court Parliament Congress Senate Assembly Kremlin Pentagon Government Administration Party Union "
    "Nations States Kingdom Republic Federation Bank Fund Organization Organisation Institute Foundation "
    "Association University College School Academy Hospital Museum Library Gallery Theatre Theater Church "
    "Cathedral Airport Station Square Street Avenue Road Palace Center Centre "
    "River Sea Ocean Island Islands Mountains Gulf Coast Desert Times "
    "Post News Journal Herald Tribune Gazette Press Radio Television TV Network Channel Group Company "
    "Corporation Corp Inc Ltd LLC Airlines Motors Holdings Partners Markets Exchange Club League Cup "
    "Championship Games Olympics Festival Summit Conference Forum Act Bill Treaty Accord Agreement Plan "
    "Program Programme Project Initiative Navy Army Guard Corps Marines Police Embassy Consulate Cabinet "
    "Ministry Authority Board Council Tribunal Prison Zone Region Province County City District Oblast "
    "Airport Harbour Harbor Port Stadium Arena Market Mall Awards Award Prize Prizes Medal Trophy "
    "Championships Marathon Show Expo Fair Week Olympiad Biennale Inquiry Survey Reservation Mission Drive "
    "Circle Lane Boulevard Mountain Valley Creek Lake Town Village FC AFC"
)

# Words that appear in place names, days and numbers, never in a person's name.
NOT_NAME_WORDS = ORGANISATION_WORDS | _words(
    "East West North South Middle Central Western Eastern Northern Southern Upper Lower Greater New San "
    "Santa Los Las Saint St Fort Mount Cape Tel Buenos Hong Kong Kuala Lumpur Sri Lanka Costa Rica Puerto "
    "Rio Arabia Zealand Aires Aviv Dhabi Vegas Angeles Francisco Diego York Delhi Jersey Orleans Wall "
    "Downing Capitol Oval Silicon Red Cross Crescent United World Global International National Air One "
    "Two Three Four Five Six Seven Eight Nine Ten Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "January February March July September October November December Christmas Easter Ramadan Eid "
    "God Ukraine Russia America Europe China Britain France Germany Italy Israel Gaza Iran Syria Turkey "
    "India Japan Korea Africa Asia Kyiv Moscow London Paris Washington Berlin Rome Beijing"
)

NOT_NAME_WORDS |= PORTFOLIO_WORDS

TEMPORAL_WORDS = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Christmas Easter Ramadan Eid Today Yesterday Tomorrow"
)

# Nouns for a person's job or standing, as they appear in roles ("Kremlin spokesperson").
ROLE_NOUNS = _words(
    "president vice chancellor minister secretary spokesperson spokesman spokeswoman envoy ambassador "
    "senator governor mayor representative congressman congresswoman lawmaker legislator chairman "
    "chairwoman chair director head chief leader commander general admiral judge justice attorney "
    "prosecutor lawyer adviser advisor aide official officer executive ceo founder premier king queen "
    "prince princess pope bishop archbishop cardinal rabbi imam priest pastor professor economist analyst "
    "researcher scientist historian author novelist writer editor journalist correspondent reporter "
    "columnist host presenter anchor producer actor actress singer coach captain manager player councillor "
    "councilor commissioner inspector sheriff constable detective colonel lieutenant sergeant diplomat "
    "negotiator campaigner activist organiser organizer administrator superintendent principal teacher "
    "doctor surgeon nurse physician engineer architect owner farmer resident student worker treasurer "
    "curator dean rector ombudsman auditor regulator strategist pollster consultant banker trader investor "
    "entrepreneur designer photographer artist composer poet playwright filmmaker speaker whip candidate "
    "nominee delegate consul counsel solicitor barrister magistrate emir sheikh sultan tsar czar "
    "secretary-general president-elect deputy commentator spokesperson midwife paramedic firefighter "
    "volunteer chef pilot driver landlord tenant shopkeeper member striker goalkeeper midfielder defender "
    "geologist hydrologist biologist physicist chemist ecologist epidemiologist psychologist sociologist "
    "archaeologist astronomer mathematician climatologist meteorologist lecturer guitarist drummer bassist "
    "comedian coordinator co-ordinator star sprinter painter sculptor conductor musician pianist violinist "
    "baker builder carpenter plumber electrician mechanic fisherman gardener butcher brewer hairdresser "
    "florist tailor librarian pharmacist dentist vet therapist counsellor referee athlete cyclist vicar"
)

# Lower-case nouns for people the copy does not name ("a source", "officials", "residents").
UNNAMED_NOUNS = (
    ROLE_NOUNS
    | frozenset(noun + "s" for noun in ROLE_NOUNS)
    | _words(
        "source sources people residents critics experts analysts witnesses observers officials protesters "
        "voters campaigners neighbours neighbors colleagues friends relatives family diplomats aides "
        "advisers insiders person man woman men women spokespeople staff"
    )
)

# Lower-case nouns for an institution speaking ("the ministry said").
INSTITUTION_NOUNS = _words(
    "government ministry department administration company agency embassy military army police council "
    "committee commission court statement office organisation organization foundation union party "
    "authorities firm club board team kremlin white-house palace campaign consulate cabinet regulator "
    "prosecutors prosecution newspaper network broadcaster channel website authority university school "
    "hospital museum charity trust institute bank council"
)

SPEECH_VERBS = _words(
    "said says say told tells tell added adds stated states asked asks replied replies wrote writes "
    "posted posts tweeted tweets noted notes remarked remarks explained explains insisted insists argued "
    "argues warned warns declared declares announced announces continued continues recalled recalls "
    "acknowledged acknowledges admitted admits conceded concedes cautioned cautions claimed claims joked "
    "jokes quipped quips laughed shouted shouts whispered whispers urged urges pleaded pleads countered "
    "counters responded responds observed observes recounted recounts mused muses concluded concludes "
    "emphasized emphasizes emphasised emphasises stressed stresses suggested suggests predicted predicts "
    "promised promises vowed vows boasted boasts complained complains lamented laments agreed agrees "
    "confirmed confirms described describes called calls labeled labelled labels characterized "
    "characterised assured assures reiterated reiterates repeated repeats answered answers wondered "
    "wonders sighed exclaimed screamed yelled testified testifies commented comments deadpanned revealed "
    "reveals"
)

# Common verbs and adverbs that follow a subject but do not end in -ed or -s.
VERB_WORDS = SPEECH_VERBS | _words(
    "is was are were has had have will would could should can may might must did does do made met spoke "
    "took gave sent went came saw thought knew left kept held led began become became brought put set sat "
    "stood won lost paid sought fought felt found meant read ran rose fell drove chose struck threw grew "
    "shook broke swore understood also later then again once still never now previously recently "
    "repeatedly already often first last just even shared urged cited"
)

# Nouns that follow a name used as a modifier ("the Trump administration"), not a verb.
NAME_MODIFIER_NOUNS = _words(
    "administration government campaign team ally allies aides era family camp supporters voters "
    "officials presidency doctrine plan deal talks call meeting summit visit tariffs policy policies years "
    "years' loyalists critics spokesperson adviser advisers envoy"
)

# Words near a quoted title that show it names a work or programme, not a quotation.
WORK_NOUNS = _words(
    "show programme program book memoir novel film movie documentary series podcast album song single "
    "play musical opera report article essay column op-ed poem newspaper magazine episode broadcast "
    "titled entitled dubbed named exhibition painting campaign slogan hashtag blog newsletter nickname "
    "nicknamed track"
)

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = _words(
    "mr mrs ms dr prof gen gov sen rep st jr sr lt col capt sgt inc ltd co corp no vs jan feb mar apr jun "
    "jul aug sep sept oct nov dec mt ft ave approx rev adm cmdr maj messrs"
)

FEMININE_WORDS = _words(
    "she her spokeswoman chairwoman congresswoman actress queen princess duchess mrs ms miss dame lady "
    "madam mother widow sister daughter wife businesswoman"
)
MASCULINE_WORDS = _words(
    "he his spokesman chairman congressman actor king prince duke mr sir lord father brother son husband "
    "businessman"
)
