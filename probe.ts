import { parsePersonName, parseReporterName, parseAgeAnswer, parseUrgency, findDanger, matchSigns } from './flows/report/parse';
import { loadDistrict } from './src/domain/district';
const d = loadDistrict('seodaemun');
const now = new Date('2026-12-05T03:00:00Z');
for (const t of ['집배원 박정호입니다','저는 한전 검침원 김민수예요','홍길동','김씨','김 씨','홍길동 할머니','박 할머니','홍길동씨','이름은 이영희입니다','혼자 사세요','할머니','Nguyen Van A','서대문우체국 집배원 박정호','홍제3동 통장 김철수인데요','요양보호사 김미숙입니다','김○○','김OO','홍  길동','이름은 김순자 할머니예요','제 이름은 최민준입니다','박정호요','남궁 민수','성은 김씨','최씨 할아버지','이씨요','김영희 어르신','잘 모르겠는데 김씨 같아요','경비원 아저씨','010-1234-5678','우편물이 쌓여 있어요']) console.log(JSON.stringify(t), parsePersonName(t), parseReporterName(t));
for (const t of ['70대 할머니','60대 남자분 같아요','80세 넘은 할아버지','75','할머니예요','칠십대 여성','여든 넘으신 할머니','75세 여','1950년생 남','50년생이요','한 80쯤 되어 보이는 할아버지','90 넘으셨어요','80대 초반 여자분','나이는 모르고 할머니','010-1234-5678','홍제동 12-3','60대 중반 남성','70 정도','육십대 아저씨','스물다섯']) console.log(JSON.stringify(t), JSON.stringify(parseAgeAnswer(t, now)));
for (const t of ['급해요','빨리요','urgent','위험해요','지금','천천히','급하지 않아요','안 급해요','보통이요','며칠 안에요','당장요','네']) console.log(t, JSON.stringify(parseUrgency(t)));
for (const t of ['할머니가 집에 쓰러져 계신 것 같아요','가스 냄새가 나요','죽고 싶다고 하셨어요','우편물이 쌓여 있어요']) console.log(t, findDanger(t, d.dangerPhrases));
for (const t of ['우편물이 쌓여 있어요','혼자 사시고 거동이 불편하세요','전기가 끊겼고 쓰레기가 많아요','인기척이 없어요','독거 어르신','기타']) console.log(t, matchSigns(t, d.signs, d.signWords));
